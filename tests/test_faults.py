"""Faults during a run: Ctrl-C and SIGKILL mid-run then resume, two runs into one folder, a
damaged cache, a read-only or full output folder."""
from __future__ import annotations

import errno
import gzip
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager

import pandas as pd
import pytest

from pipeline import cache
from pipeline.batch import run_batch
from pipeline.cli import main
from tests.conftest import ROOT, fixture_text

TABLES = ("documents", "evaluations", "indicators", "funds", "goals", "project_lists", "claims")
FILES = 24
# `jixiao extract` with every file taking SLOW seconds (workers are forked with the patch) and the
# index saved often, so a test can stop it mid-run.
SLOW_RUN = textwrap.dedent("""
    import sys, time
    import pipeline.batch as batch
    import pipeline.extract as extract
    real = extract.parse_document
    def slow(doc):
        time.sleep(float(sys.argv[1]))
        return real(doc)
    extract.parse_document = slow
    batch.SAVE_EVERY = 0.2
    from pipeline.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.fixture()
def corpus(tmp_path):
    """FILES project lists with distinct bytes (so none is a copy of another)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    text = fixture_text("xiangshan_project_list.txt")
    for i in range(FILES):
        (raw / f"list_{i:02d}.txt").write_text(text + "\n" * (i + 1), encoding="utf-8")
    return raw


def start_slow(raw, out, seconds=0.25, jobs=2):
    return subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(seconds), "extract", str(raw), "--out", str(out),
                             "--jobs", str(jobs)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def indexed(out, at_least):
    return lambda: len(cache.load_index(out)) >= at_least


def frames(out):
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in TABLES}


def assert_same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def temp_files(out):
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture()
def clean(corpus, tmp_path):
    run_batch(corpus, tmp_path / "clean", jobs=1)
    return frames(tmp_path / "clean")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_run_resumes_with_its_work_kept(corpus, tmp_path, clean, sig):
    out = tmp_path / "out"
    run = start_slow(corpus, out)
    wait_for(indexed(out, 4))
    stopped = time.monotonic()
    os.killpg(run.pid, sig)  # Ctrl-C reaches the whole process group
    _, err = run.communicate(timeout=30)
    if sig == signal.SIGINT:
        assert time.monotonic() - stopped < 5
        assert run.returncode == 130
        assert err.strip().splitlines()[-1].endswith("run the same command again to resume")
        assert "Traceback" not in err and temp_files(out) == []
    done = len(cache.load_index(out))
    assert 4 <= done < FILES
    resumed = run_batch(corpus, out, jobs=2)
    assert resumed["reused"] >= done and resumed["parsed"] == FILES - resumed["reused"]
    assert_same(frames(out), clean)
    assert temp_files(out) == []


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(corpus, tmp_path, clean, capsys):
    out = tmp_path / "out"
    first = start_slow(corpus, out, seconds=0.1, jobs=1)
    wait_for(indexed(out, 1))
    other = tmp_path / "other"
    shutil.copytree(corpus, other)
    assert main(["extract", str(other), "--out", str(out), "--jobs", "1"]) == 2
    assert f"is writing to {out}; wait for it to finish or use another --out" in capsys.readouterr().err
    first.communicate(timeout=60)
    assert first.returncode == 0
    assert_same(frames(out), clean)


def test_a_damaged_cache_file_is_read_again(corpus, tmp_path, clean):
    out = tmp_path / "out"
    run_batch(corpus, out, jobs=1)
    rows = sorted((out / cache.CACHE_DIR / "rows").glob("*.json.gz"))
    rows[0].write_bytes(gzip.compress(b"{not json")[:20])  # truncated
    rows[1].write_bytes(b"")
    (out / "documents.parquet").write_bytes(b"PAR1 damaged")  # the tables must be assembled again
    (out / cache.CACHE_DIR / "stages.json").write_text("{", encoding="utf-8")
    run = run_batch(corpus, out, jobs=1)
    assert run["parsed"] == 2
    assert_same(frames(out), clean)
    (out / cache.CACHE_DIR / "index.json").write_text("[1, 2", encoding="utf-8")
    assert run_batch(corpus, out, jobs=1)["parsed"] == FILES  # a damaged index costs a re-parse, no more
    assert main(["status", "--out", str(out)]) == 0


@contextmanager
def read_only(folder):
    """A folder nobody can write to, root included (chattr +i); plain chmod for other users."""
    if os.geteuid() == 0 and shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)]).returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        return
    if os.geteuid() == 0:
        pytest.skip("running as root without chattr: no folder is read-only")
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def test_a_read_only_out_gives_one_clear_line(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with read_only(out):
        assert main(["extract", str(corpus), "--out", str(out), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("jixiao extract: error: ") and str(out) in err


def test_a_full_disk_gives_one_clear_line(corpus, tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out" / "documents.parquet"))

    monkeypatch.setattr("pipeline.write.pq.ParquetWriter", full)
    assert main(["extract", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 2
    assert capsys.readouterr().err.strip() == (f"jixiao extract: error: {tmp_path / 'out' / 'documents.parquet'}: "
                                               "No space left on device")
