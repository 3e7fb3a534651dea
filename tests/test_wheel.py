"""A built wheel, installed (not editable) into a fresh virtual environment, runs every stage:
the console script, the schemas and the expectation suites ship with it."""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig

import pandas as pd
import pytest

from tests.conftest import ANYUE, RAW, ROOT, XIANGSHAN


def run(*args, cwd):
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_an_installed_wheel_runs_every_stage(tmp_path):
    built = run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("jixiao-*.whl"))
    fresh = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", "--without-pip", fresh, cwd=tmp_path).returncode == 0
    purelib = run(fresh / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                  cwd=tmp_path).stdout.strip()
    # The dependencies come from this environment (offline); its editable jixiao is not loaded: a
    # path in a .pth file is not scanned for further .pth files.
    (tmp_path / purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = run(sys.executable, "-m", "pip", "--python", fresh / "bin" / "python", "install", "-q", "--no-deps",
                    "--no-index", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    where = run(fresh / "bin" / "python", "-c", "import pipeline, expectations; print(pipeline.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(fresh)), where.stdout + where.stderr
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (XIANGSHAN, ANYUE):
        shutil.copy(RAW / name, raw / name)
    jixiao = fresh / "bin" / "jixiao"
    for stage in (["extract", raw, "--jobs", "2"], ["validate"], ["summarize"], ["status"]):
        done = run(jixiao, *stage, "--out", tmp_path / "out", cwd=tmp_path)
        assert done.returncode == 0, (stage, done.stderr)
    assert run(jixiao, "--version", cwd=tmp_path).stdout.strip() == "jixiao 0.1.0"
    assert len(pd.read_parquet(tmp_path / "out" / "anomalies.parquet")) > 0
    assert (tmp_path / "out" / "reports" / "summary.html").exists()
