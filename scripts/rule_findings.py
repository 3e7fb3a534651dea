"""Findings per rule and input file: extract and validate a folder, then one line per declared
rule with what it checks and how many anomalies (by severity) it raises on each file.

    python scripts/rule_findings.py [raw/] [--work DIR]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.batch import run_batch  # noqa: E402
from pipeline.rules import ordered  # noqa: E402
from pipeline.validate import validate  # noqa: E402


def findings(raw: Path, work: Path) -> tuple[list[str], Counter]:
    run_batch(raw, work, jobs=1)
    anomalies = validate(work)["anomalies"]
    files = sorted({a["source_path"] for a in anomalies} | {p.name for p in raw.iterdir() if p.is_file()})
    return files, Counter((a["rule_id"], a["source_path"], a["severity"]) for a in anomalies)


def table(files: list[str], counts: Counter) -> str:
    lines = ["| rule | checks | " + " | ".join(files) + " |", "|---|---|" + "---|" * len(files)]
    for r in ordered():
        cells = []
        for f in files:
            by_severity = {s: n for (rule_id, path, s), n in counts.items() if rule_id == r.rule_id and path == f}
            cells.append(", ".join(f"{n} {s}" for s, n in sorted(by_severity.items())) or "0")
        lines.append(f"| `{r.rule_id}` | {r.description} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw", nargs="?", default="raw/")
    parser.add_argument("--work", help="output folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(table(*findings(Path(args.raw), Path(args.work or tmp))))


if __name__ == "__main__":
    main()
