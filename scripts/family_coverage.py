"""What each template family reads, page by page and text style by text style: every page of the
dev corpora is read as it is and written back out as pipes, paragraphs, space-joined and run-on
text (``scripts.text_styles``), and each reading is scored against the page's gold (score.py).

    python -m scripts.family_coverage [--corpus ../shared/corpus/real ../shared/corpus/real2]
        [--gold ../shared/gold/real ../shared/gold/real2] [--score ../shared/tools/score.py]

Prints a Markdown table: family (the title rule that named the page's forms, ``template_family``;
`(untitled)` for pages read by structure alone), pages, and fidelity per style. Pages printed
run-on are read as printed only: their cells are the reader's guesses, not the form's.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.batch import run_batch
from pipeline.ingest import detect_layout
from scripts.text_styles import STYLES, cells_of

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_PAGE = re.compile(r"^(?P<name>\S+\.txt): [\d.]+% \((?P<right>\d+)/(?P<total>\d+)\)$", re.M)
AS_PRINTED = "as printed"


def page_scores(pages: dict[str, str], gold: Path, score_py: Path) -> tuple[dict, dict[str, str]]:
    """(page name -> (fields right, fields), page name -> families) for one rendering of the pages."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        raw.mkdir()
        for name, text in pages.items():
            (raw / name).write_text(text, encoding="utf-8")
        run_batch(raw, out, jobs=1)
        result = subprocess.run([sys.executable, str(score_py), "--out", str(out), "--gold", str(gold)],
                                capture_output=True, text=True, check=True)
        families = families_of(out)
    return {m["name"]: (int(m["right"]), int(m["total"])) for m in _PAGE.finditer(result.stdout)}, families


def families_of(out: Path) -> dict[str, str]:
    """source file name -> its forms' template families, joined."""
    docs = pq.read_table(out / "documents.parquet", columns=["doc_id", "source_path"]).to_pylist()
    names = {d["doc_id"]: Path(d["source_path"]).name for d in docs}
    evals = pq.read_table(out / "evaluations.parquet", columns=["doc_id", "template_family", "source_kind"]).to_pylist()
    found: dict[str, set[str]] = defaultdict(set)
    for ev in evals:
        if ev["source_kind"] == "form":
            found[names[ev["doc_id"]]].add(ev["template_family"] or "(untitled)")
    return {name: " + ".join(sorted(fams)) for name, fams in found.items()}


def coverage(corpora: list[Path], golds: list[Path], score_py: Path, by_page: bool = False) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp)
        for folder in golds:
            for path in folder.glob("*.gold.json"):
                shutil.copy(path, gold)
        pages = {p.name: p.read_text(encoding="utf-8") for c in corpora for p in sorted(c.glob("*.txt"))
                 if (gold / f"{p.stem}.gold.json").exists()}
        printed, families = page_scores(pages, gold, score_py)
        scores = {AS_PRINTED: printed}
        # pages with forms (not reports) whose cells are known: a run-on page's cells are guesses
        tables = {n: t for n, t in pages.items() if n in families and detect_layout(t) != "run_on"}
        for style, render in STYLES.items():
            got = page_scores({n: render(cells_of(t)) for n, t in tables.items()}, gold, score_py)[0]
            scores[style] = {n: v for n, v in got.items() if n in tables}
    return table(scores, families, by_page)


def table(scores: dict[str, dict[str, tuple[int, int]]], families: dict[str, str], by_page: bool) -> str:
    by_family: dict[str, list[str]] = defaultdict(list)
    for name, family in families.items():
        by_family[f"{family} · {name.removesuffix('.txt')}" if by_page else family].append(name)
    styles = list(scores)
    lines = ["| family | pages | " + " | ".join(styles) + " |", "|---|---|" + "---|" * len(styles)]
    for family, names in sorted(by_family.items()):
        cells = []
        for style in styles:
            read = [n for n in names if n in scores[style]]
            right = sum(scores[style][n][0] for n in read)
            total = sum(scores[AS_PRINTED][n][1] for n in read)
            cells.append(f"{100 * right / total:.1f}%" if total else "—")
        pages = ", ".join(sorted(n.removesuffix(".txt") for n in names))
        lines.append(f"| {family} | {pages} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="+", type=Path, default=[SHARED / "corpus/real", SHARED / "corpus/real2"])
    parser.add_argument("--gold", nargs="+", type=Path, default=[SHARED / "gold/real", SHARED / "gold/real2"])
    parser.add_argument("--score", type=Path, default=SHARED / "tools/score.py")
    parser.add_argument("--pages", action="store_true", help="a row per page, not per family")
    args = parser.parse_args(argv)
    print(coverage(args.corpus, args.gold, args.score, args.pages))


if __name__ == "__main__":
    main()
