"""Shared test paths: the shared corpus and gold live beside the worktree (../shared)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL = SHARED / "corpus" / "real"
REAL_GOLD = SHARED / "gold" / "real"
SCORE = SHARED / "tools" / "score.py"


def real_text(name: str) -> str:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_text(encoding="utf-8")
