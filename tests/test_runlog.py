import shutil

from pipeline.batch import run_batch
from pipeline.runlog import record_stage, run_line
from tests.conftest import RAW, XIANGSHAN


def test_run_line_sums_up_the_last_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / XIANGSHAN, raw / XIANGSHAN)
    (raw / "dud.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    run_id = run_batch(raw, out, jobs=1)["run_id"]
    record_stage(out, "validate", 9.0, run_id)  # left from an earlier run: a new extract forgets it
    record_stage(out, "extract", 1.25, run_id)
    assert run_line(out) == ("2 files: 1 ok / 0 partial / 0 failed / 1 unsupported / 0 duplicate; 6 forms, "
                             "60 indicators, anomalies not checked (run validate); wall 1.2 s (extract 1.2)")
    record_stage(out, "validate", 4.5, run_id)
    assert run_line(out).endswith("wall 5.8 s (extract 1.2 + validate 4.5)")
