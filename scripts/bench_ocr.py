#!/usr/bin/env python3
"""Benchmark OCR of scanned pages: pages per second, peak memory and fidelity on scans of the samples.

    PYTHONPATH=. python scripts/bench_ocr.py [--dpi 300 150] [--samples 000 003] [--jobs 1]

Both samples are rendered as the tests render them (tests/pdf_fixtures.py), scanned
(tests/scan_fixtures.py: rasterized at each dpi, noise, a 0.7° turn, a red seal) and run through
the batch (same process pool and per-file budget as every file: the default --timeout and
--page-timeout, which a long scan must fit), then scored against gold with
../shared/tools/score.py. Also prints how the OCR'd values compare with the text version's
(which match gold): ``wrong_values`` that differ, ``wrong_flagged`` how many of them their row's
``ocr_doubt`` names (the target: all), and the unflagged ones. Not a test: timings depend on
the machine.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.batch import run_batch  # noqa: E402
from tests.scan_fixtures import ScanStyle, scan_pdf  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
SCORE = ROOT.parent / "shared" / "tools" / "score.py"
SAMPLES = {"000": "000_62b89d3619706223", "003": "003_78bee95101de8744"}


def sample_pdf(key: str) -> bytes:
    from tests import test_pdf
    from tests.pdf_fixtures import render_gold

    if key == "000":
        return test_pdf.xiangshan_pdf("a4")
    return render_gold(GOLD / f"{SAMPLES[key]}.gold.json")


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def bench(key: str, dpi: int, jobs: int, work: Path) -> dict:
    raw, out = work / f"raw_{key}_{dpi}", work / f"out_{key}_{dpi}"
    raw.mkdir()
    name = f"{SAMPLES[key]}.pdf"
    rendering = sample_pdf(key)
    scan = scan_pdf(rendering, ScanStyle(dpi=dpi))
    (raw / name).write_bytes(scan)
    start = time.perf_counter()
    run_batch(raw, out, jobs=jobs, progress=False)  # the default budgets: a long scan must fit them
    seconds = time.perf_counter() - start
    extra = new_anomalies(rendering, name, out, work / f"text_{key}_{dpi}")
    wrong = wrong_values(out, work / f"text_{key}_{dpi}" / "out")
    pages = page_count(scan)
    gold = json.loads((GOLD / f"{SAMPLES[key]}.gold.json").read_text(encoding="utf-8"))
    gold["source"] = name
    gold_path = work / f"gold_{key}_{dpi}.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    score = subprocess.run([sys.executable, str(SCORE), "--out", str(out), "--gold", str(gold_path)],
                           capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    return {"sample": key, "dpi": dpi, "pages": pages, "seconds": round(seconds, 1),
            "pages_per_s": round(pages / seconds, 3), "score": score, **ocr_shares(out),
            "anomalies_not_in_text_version": extra, "wrong_values": len(wrong),
            "wrong_flagged": sum(flagged for *_, flagged in wrong), "doubted_values": doubted_values(out),
            "wrong_unflagged": [w[:-1] for w in wrong if not w[-1]]}


def new_anomalies(rendering: bytes, name: str, scan_out: Path, work: Path) -> list[str]:
    """Anomalies of the scan that the rendering with its text layer does not have."""
    from pipeline.validate import validate

    (work / "raw").mkdir(parents=True)
    (work / "raw" / name).write_bytes(rendering)
    run_batch(work / "raw", work / "out", jobs=1, progress=False)

    def found(out: Path) -> set[str]:
        return {f"{a['rule_id']} {a['project']} {a['field']}" for a in validate(out)["anomalies"]}
    return sorted(found(scan_out) - found(work / "out"))


# the columns score.py compares with gold (and the titles), by table, and the columns that key a row
COMPARED = {
    "documents": ((), ("region", "org_unit", "fiscal_year", "title")),
    "evaluations": (("form",), ("project", "title", "org_unit", "budget_initial_yuan", "budget_full_year_yuan",
                               "executed_yuan", "execution_rate_reported", "execution_weight", "execution_score",
                               "total_weight", "total_score", "budget_code", "grade")),
    "indicators": (("form", "seq"), ("level1", "level1_weight", "level2", "level2_weight", "level3", "target_raw",
                                     "actual_raw", "note", "weight", "score")),
    "project_lists": (("list_seq", "seq"), ("project", "amount_yuan")),
}


def doubted_values(scan_out: Path) -> int:
    """How many compared values of the scan its ocr_doubt columns name (right or wrong)."""
    import pandas as pd

    count = 0
    for table, (_, columns) in COMPARED.items():
        doubts = pd.read_parquet(scan_out / f"{table}.parquet", columns=["ocr_doubt"])["ocr_doubt"].dropna()
        count += sum(column in d.split(",") for d in doubts for column in columns)
    return count


NAMES = ("project", "level3")  # compared as score.py matches names (quotes and a 项目 suffix aside)


def wrong_values(scan_out: Path, text_out: Path) -> list[tuple]:
    """Every compared value of the scan that differs from the text version's (which scores 100%
    against gold) as score.py compares: (table, row key, column, scan value, text value, flagged
    by ocr_doubt)."""
    import pandas as pd

    def rows(out: Path, table: str) -> dict:
        frame = pd.read_parquet(out / f"{table}.parquet")
        if "eval_id" in frame:
            frame["form"] = frame["eval_id"].str[-3:]  # the form's number in its document
        keys = COMPARED[table][0]
        return {tuple(r[k] for k in keys): r for r in frame.to_dict("records")}

    wrong = []
    for table, (_, columns) in COMPARED.items():
        scan, text = rows(scan_out, table), rows(text_out, table)
        for key, expected in text.items():
            got = scan.get(key, {})
            doubts = got.get("ocr_doubt")
            doubts = set(doubts.split(",")) if isinstance(doubts, str) else set()
            for column in columns:
                if not same(got.get(column), expected[column], column):
                    wrong.append((table, key, column, got.get(column), expected[column], column in doubts))
    return wrong


def same(a, b, column: str) -> bool:
    """Equal as score.py compares with gold: names without quotes, text NFKC without whitespace."""
    import pandas as pd

    missing = pd.isna(a), pd.isna(b)
    if any(missing):
        return all(missing)
    if isinstance(a, str) and isinstance(b, str):
        norm = scorer().norm_name if column in NAMES else scorer().norm_text
        return norm(a) == norm(b)
    return a == b


@cache
def scorer():
    """../shared/tools/score.py as a module (its normalization of text)."""
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ocr_shares(out: Path) -> dict:
    """How many indicator and fund rows came from OCR and how many had a low confidence; how many
    OCR scores and weights the form's arithmetic had to decide (set by the total, or left null)."""
    import pandas as pd

    from parsers.readers.ocr import LOW_CONF

    rows = pd.concat([pd.read_parquet(out / f"{t}.parquet", columns=["ocr", "ocr_conf"])
                      for t in ("indicators", "funds")])
    ocr = rows[rows["ocr"]]
    items = pd.read_parquet(out / "indicators.parquet")
    items = items[items["ocr"]]
    notes = items["ocr_note"].dropna()
    figures = int(items[["weight", "score"]].notna().sum().sum()) + int(notes.str.count("left null").sum())
    return {"ocr_rows": len(ocr), "low_conf_rows": int((ocr["ocr_conf"] < LOW_CONF).sum()),
            "ocr_figures": figures, "set_by_total": int(notes.str.count("set to").sum()),
            "left_null": int(notes.str.count("left null").sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 150])
    parser.add_argument("--samples", nargs="+", default=sorted(SAMPLES), choices=sorted(SAMPLES))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write scans, tables and gold here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for dpi in args.dpi:
            for key in args.samples:
                print(json.dumps(bench(key, dpi, args.jobs, work), ensure_ascii=False), flush=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of a worker: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
