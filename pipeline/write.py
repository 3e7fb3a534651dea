"""Write contract tables to Parquet: typed by ``schemas/``, documented, atomic, deterministic."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import schemas


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) as a table with exactly the schema's columns, in its order."""
    schema = schemas.arrow_schema(name)
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.table(columns, schema=schema)


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write beside the target, then rename: readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class TableStreams:
    """Append rows table by table; row groups are flushed as they fill, so memory stays flat
    however many files feed in. ``close()`` moves every finished table into place."""

    ROW_GROUP = 20_000

    def __init__(self, out_dir: Path, names: tuple[str, ...]):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.buffers: dict[str, list[dict]] = {n: [] for n in names}
        self.counts: dict[str, int] = dict.fromkeys(names, 0)
        self.tmp = {n: out_dir / f".{n}.parquet.{os.getpid()}.tmp" for n in names}
        self.writers = {n: pq.ParquetWriter(self.tmp[n], schemas.arrow_schema(n), compression="zstd")
                        for n in names}

    def add(self, name: str, rows: list[dict]) -> None:
        self.buffers[name] += rows
        self.counts[name] += len(rows)
        if len(self.buffers[name]) >= self.ROW_GROUP:
            self._flush(name)

    def _flush(self, name: str) -> None:
        if self.buffers[name]:
            self.writers[name].write_table(to_arrow(name, self.buffers[name]))
            self.buffers[name] = []

    def close(self) -> None:
        for name, writer in self.writers.items():
            self._flush(name)
            writer.close()
        for name, tmp in self.tmp.items():
            os.replace(tmp, self.out_dir / f"{name}.parquet")

    def abort(self) -> None:
        for name, writer in self.writers.items():
            writer.close()
            self.tmp[name].unlink(missing_ok=True)
