"""Shared test paths and helpers. Fixtures are real text cut from the two samples; the shared
corpus, real pages and gold live beside the checkout (../shared) and are skipped when absent."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW = ROOT / "raw"
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "tools" / "score.py"
GOLD = SHARED / "gold"
REAL = SHARED / "corpus" / "real"
REAL_GOLD = GOLD / "real"
XIANGSHAN = "000_62b89d3619706223.txt"
ANYUE = "003_78bee95101de8744.txt"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def real_text(name: str) -> str:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_text(encoding="utf-8")


def score(out_dir: Path, gold: Path) -> str:
    """The last line of ../shared/tools/score.py: `fidelity P% (right/total fields), spurious N rows`."""
    if not SCORE.exists():
        pytest.skip("../shared/tools/score.py is not present")
    result = subprocess.run([sys.executable, str(SCORE), "--out", str(out_dir), "--gold", str(gold)],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def run_chromium(binary: str, page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
