"""How often documents.parquet states region, org_unit and fiscal_year as the gold does,
counting a null the gold states as null (score.py counts only the gold's non-null fields).

    python -m scripts.metadata_accuracy --out DIR/.out --gold GOLD_DIR [--verbose]
"""
from __future__ import annotations

import argparse
import json
import math
import unicodedata
from pathlib import Path

import pandas as pd

FIELDS = ("region", "org_unit", "fiscal_year")


def _norm(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def agrees(gold, got) -> bool:
    """As the gold states it: text without whitespace (NFKC), years as integers, null as null."""
    return _norm(gold) == _norm(got)


def compare(docs: pd.DataFrame, gold_dir: Path) -> list[tuple[str, str, object, object]]:
    """(source, field, gold, got) for every field of every gold document."""
    by_name = {Path(p).name: row for p, row in zip(docs["source_path"], docs.to_dict("records"), strict=True)}
    out = []
    for path in sorted(gold_dir.rglob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        row = by_name.get(gold["source"], {})
        out += [(gold["source"], f, gold.get(f), row.get(f)) for f in FIELDS]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    rows = compare(pd.read_parquet(args.out / "documents.parquet"), args.gold)
    wrong = [r for r in rows if not agrees(r[2], r[3])]
    for source, field, gold, got in wrong if args.verbose else []:
        print(f"  MISS {source}.{field}: gold={gold!r} got={got!r}")
    print(f"metadata {100 * (len(rows) - len(wrong)) / max(1, len(rows)):.2f}% ({len(rows) - len(wrong)}/{len(rows)})")


if __name__ == "__main__":
    main()
