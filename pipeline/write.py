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


def write_tables(tables: dict[str, list[dict]], out_dir: Path) -> list[Path]:
    """Write every table that has a schema; returns the paths written."""
    written = []
    for name, rows in tables.items():
        path = out_dir / f"{name}.parquet"
        write_atomic(to_arrow(name, rows), path)
        written.append(path)
    return written
