import re

import pytest

import schemas
from tests.conftest import ROOT, SHARED

CONTRACT_TABLES = ("documents", "evaluations", "indicators", "funds", "goals", "project_lists", "claims")


def test_readme_documents_every_table_as_the_schemas_say():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schemas.readme_with_tables(readme) == readme, "README tables are stale: run `make docs`"


def test_every_field_is_typed_and_described():
    for name in schemas.available():
        for field in schemas.load(name)["fields"]:
            assert field["type"] in ("string", "integer", "double", "boolean"), (name, field)
            assert " · " in field["description"], f"{name}.{field['name']}: want `中文 · English`"


def contract_columns(section: str) -> set[str]:
    """Column names CONTRACT.md gives a table: first cells of its table rows, or a bare list."""
    lines = section.splitlines()[1:]
    cells = [ln.split("|")[1] if ln.startswith("|") else ln for ln in lines if not ln.startswith("|---")]
    names = set()
    for cell in cells:
        for part in re.sub(r"\([^)]*\)", "", cell).split(","):
            if re.fullmatch(r"[a-z][a-z_0-9]*", part.strip()):
                names.add(part.strip())
    return names - {"column"}


def test_schemas_hold_every_contract_column():
    path = SHARED / "CONTRACT.md"
    if not path.exists():
        pytest.skip("../shared/CONTRACT.md is not present")
    contract = path.read_text(encoding="utf-8")
    for name in CONTRACT_TABLES:
        section = contract.split(f"## {name}.parquet")[1].split("\n## ")[0]
        missing = contract_columns(section) - set(schemas.column_names(name))
        assert not missing, f"{name} misses {missing}"
