"""Table schemas as data: one JSON file per contract table (frictionless-style fields).

Used to write Parquet (types and column descriptions in the field metadata), in tests, and to
generate the table documentation in the README.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources

import pyarrow as pa

TABLES = ("documents", "evaluations", "indicators", "funds", "goals", "project_lists", "claims", "statements")

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
}


@cache
def load(name: str) -> dict:
    """The schema of one table: ``{"name", "description", "primaryKey", "fields": [...]}``."""
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def available() -> list[str]:
    """Every table that has a schema file, contract tables first."""
    names = [p.name.removesuffix(".json") for p in resources.files(__package__).iterdir()
             if p.name.endswith(".json")]
    return [t for t in TABLES if t in names] + sorted(set(names) - set(TABLES))


def column_names(name: str) -> list[str]:
    return [f["name"] for f in load(name)["fields"]]


def arrow_schema(name: str) -> pa.Schema:
    """The Parquet schema, with each column's description in its field metadata."""
    schema = load(name)
    fields = [pa.field(f["name"], _ARROW_TYPES[f["type"]],
                       metadata={"description": f["description"]}) for f in schema["fields"]]
    return pa.schema(fields, metadata={"description": schema["description"],
                                       "primary_key": ",".join(schema["primaryKey"])})


def markdown(name: str) -> str:
    """A README section documenting one table."""
    schema = load(name)
    lines = [f"### `{name}.parquet`", "", schema["description"],
             f"Key: {', '.join(schema['primaryKey'])}.", "", "| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{f['name']}` | {f['type']} | {f['description']} |" for f in schema["fields"]]
    return "\n".join(lines) + "\n"


DOC_START, DOC_END = "<!-- tables:start (generated from schemas/ by `make docs`) -->", "<!-- tables:end -->"


def readme_with_tables(readme: str) -> str:
    """The README text with its table documentation regenerated from the schemas."""
    head, _, rest = readme.partition(DOC_START)
    _, _, tail = rest.partition(DOC_END)
    body = "\n".join(markdown(name) for name in available())
    return f"{head}{DOC_START}\n{body}{DOC_END}{tail}"
