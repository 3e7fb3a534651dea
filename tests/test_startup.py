"""Lean start-up: extract and status never import the libraries only validate and summarize use."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "great_expectations", "matplotlib", "scipy", "altair", "pyarrow.dataset")
RUN_AND_LIST = ("import sys; from pipeline.cli import main; main(sys.argv[1:]); "
                f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")


def heavy_modules_after(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip().splitlines()[-1]


def test_extract_and_status_import_no_pandas(tmp_path):
    out = tmp_path / "out"
    assert heavy_modules_after("extract", str(ROOT / "raw"), "--out", str(out), "--jobs", "1") == "[]"
    assert heavy_modules_after("status", "--out", str(out)) == "[]"


def test_pandas_still_works_after_the_probe_is_skipped():
    code = ("import sys, pyarrow as pa; from pipeline.write import skip_pandas_probe; skip_pandas_probe(); "
            "t = pa.table({'a': [1, None]}); assert 'pandas' not in sys.modules; df = t.to_pandas(); "
            "print(pa.table(df).column('a').to_pylist(), pa.array(df['a']).null_count)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[1.0, None] 1"


def test_validate_imports_no_great_expectations_and_an_unchanged_run_nothing_heavy(tmp_path):
    out = tmp_path / "out"
    assert heavy_modules_after("extract", str(ROOT / "raw"), "--out", str(out), "--jobs", "1") == "[]"
    assert heavy_modules_after("validate", "--out", str(out)) == "[]"
    assert heavy_modules_after("run", str(ROOT / "raw"), "--out", str(out), "--jobs", "1") == \
        "['matplotlib', 'pandas', 'pyarrow.dataset']"  # summarize ran: its first run
    assert heavy_modules_after("run", str(ROOT / "raw"), "--out", str(out), "--jobs", "1") == "[]"


def test_the_cli_puts_arrow_on_jemalloc_unless_told_otherwise():
    """mimalloc, Arrow's default, keeps what Parquet reading frees (pipeline.memory)."""
    code = "import pipeline.cli, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    chosen = ({}, {"ARROW_DEFAULT_MEMORY_POOL": "mimalloc"})
    pools = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env=env | extra).stdout.strip() for extra in chosen]
    assert pools == ["jemalloc", "mimalloc"]


def test_an_unchanged_run_loads_no_reader_or_recognizer(tmp_path):
    """A run that reads no file (every one unchanged, and no code changed) loads neither the
    readers nor the recognizers: its cost is the start-up of the libraries it needs."""
    out = tmp_path / "out"
    args = ("run", str(ROOT / "raw"), "--out", str(out), "--jobs", "1")
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, check=True)
    code = ("import sys; from pipeline.cli import main; main(sys.argv[1:]); "
            "print(sorted(m for m in ('pipeline.parse', 'parsers.recognizers', 'parsers.readers.pdf') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
