"""Done-when of the real-layouts issue: score.py on ../shared/corpus/real, and 000 unchanged."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from tests.conftest import REAL, REAL_GOLD, ROOT, SCORE, SHARED
from tests.conftest import score as score_line

MIN_FIDELITY = 95.0
MAX_SPURIOUS_SHARE = 0.05


def score(out: Path, gold: Path) -> tuple[float, int]:
    m = re.search(r"fidelity ([\d.]+)% .*spurious (\d+) rows", score_line(out, gold))
    return float(m[1]), int(m[2])


@pytest.mark.skipif(not (REAL.exists() and REAL_GOLD.exists() and SCORE.exists()), reason="../shared absent")
def test_real_pages_score(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in REAL.glob("*.txt"):
        shutil.copy(path, raw / path.name)
    run = run_batch(raw, tmp_path / "out", jobs=1)
    fidelity, spurious = score(tmp_path / "out", REAL_GOLD)
    assert fidelity >= MIN_FIDELITY
    assert spurious <= MAX_SPURIOUS_SHARE * run["rows"]["indicators"]
    statuses = {Path(d["source_path"]).name: d["status"] for d in run["documents"]}
    assert statuses["r01.txt"] == "ok" and statuses["r02.txt"] == "partial"


@pytest.mark.skipif(not SCORE.exists(), reason="../shared absent")
def test_sample_000_stays_exact(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw/000_62b89d3619706223.txt", raw)
    run_batch(raw, tmp_path / "out", jobs=1)
    assert score(tmp_path / "out", SHARED / "gold/000_62b89d3619706223.gold.json") == (100.0, 0)
