"""Write contract tables to Parquet: typed by ``schemas/``, documented, atomic, deterministic.

Every table carries the id of the extract run it belongs to in its schema metadata
(``RUN_ID_KEY``), so later stages can tell tables of one run from a mix of runs.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import schemas

RUN_ID_KEY = b"jixiao_run_id"
CHECK_CODE_KEY = b"jixiao_check_code"  # checks.parquet: the check code its rows came from (pipeline.cache)
# A CSV cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+cmd|...`): OWASP's
# CSV-injection guidance is to prefix it with a single quote, which shows it as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def skip_pandas_probe() -> None:
    """Keep pandas (~0.5 s of imports) out of a process that never uses it (extract, status).

    pyarrow asks whether pandas is installed the first time it converts Python values, and asking
    imports it. Asked once while ``import pandas`` fails, pyarrow records "no pandas" for its
    optional checks (is this list a Series?) and still imports pandas when a conversion needs it
    (``to_pandas`` retries the import), so a later pandas user in the same process is unaffected.
    Does nothing once pandas is loaded."""
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _NoPandas)
    try:
        pa.array([None])
    finally:
        sys.meta_path.remove(_NoPandas)


class _NoPandas:
    """An import finder under which ``import pandas`` fails (see skip_pandas_probe)."""

    @staticmethod
    def find_spec(name: str, *_: object) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text starting with FORMULA_START gets a leading `'`
    (numbers are written as numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_arrow(name: str, rows: list[dict], run_id: str | None = None) -> pa.Table:
    """Rows (dicts) as a table with exactly the schema's columns, in its order."""
    schema = stamped(schemas.arrow_schema(name), run_id)
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.table(columns, schema=schema)


def stamped(schema: pa.Schema, run_id: str | None) -> pa.Schema:
    """The schema with the run id in its metadata (unchanged without one)."""
    if run_id is None:
        return schema
    return schema.with_metadata({**(schema.metadata or {}), RUN_ID_KEY: run_id.encode()})


def run_id_of(path: Path) -> str | None:
    """The run id a table was stamped with; None for a table without one."""
    value = (pq.read_schema(path).metadata or {}).get(RUN_ID_KEY)
    return value.decode() if value else None


def publish(tmp: Path | str, path: Path) -> None:
    """Move a finished temporary file into place, readable as any new file (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write beside the target, then rename: readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        publish(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


ROW_GROUP = 20_000


class TableStreams:
    """Append rows table by table; row groups are flushed as they fill, so memory stays flat
    however many files feed in. ``close()`` moves every finished table into place."""

    def __init__(self, out_dir: Path, names: tuple[str, ...], run_id: str | None = None,
                 metadata: dict[str, dict[bytes, bytes]] | None = None, row_group: int = ROW_GROUP):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir, self.row_group = out_dir, row_group
        self.run_id = run_id
        self.schemas = {n: stamped(schemas.arrow_schema(n), run_id) for n in names}
        for n, extra in (metadata or {}).items():
            self.schemas[n] = self.schemas[n].with_metadata({**self.schemas[n].metadata, **extra})
        self.buffers: dict[str, list[pa.Table]] = {n: [] for n in names}
        self.buffered: dict[str, int] = dict.fromkeys(names, 0)
        self.counts: dict[str, int] = dict.fromkeys(names, 0)
        self.tmp = {n: out_dir / f".{n}.parquet.{os.getpid()}.tmp" for n in names}
        self.writers = {n: pq.ParquetWriter(self.tmp[n], self.schemas[n], compression="zstd") for n in names}

    def add(self, name: str, rows: list[dict] | pa.Table) -> None:
        """Rows as dicts, or as a table with the schema's columns (a cached file's rows)."""
        schema = self.schemas[name]
        if isinstance(rows, pa.Table):
            table = pa.Table.from_arrays(rows.select(schema.names).columns, schema=schema)
        else:
            table = to_arrow(name, rows, self.run_id)
        self.buffers[name].append(table)
        self.buffered[name] += table.num_rows
        self.counts[name] += table.num_rows
        if self.buffered[name] >= self.row_group:
            self._flush(name)

    def _flush(self, name: str) -> None:
        if self.buffered[name]:
            # Row groups of row_group rows: a reader streaming the table holds one at a time.
            self.writers[name].write_table(pa.concat_tables(self.buffers[name]), row_group_size=self.row_group)
            self.buffers[name], self.buffered[name] = [], 0

    def close(self) -> None:
        for name, writer in self.writers.items():
            self._flush(name)
            writer.close()
        for name, tmp in self.tmp.items():
            publish(tmp, self.out_dir / f"{name}.parquet")

    def abort(self) -> None:
        for name, writer in self.writers.items():
            writer.close()
            self.tmp[name].unlink(missing_ok=True)
