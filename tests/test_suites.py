"""Rules are declared once: the suites in expectations/ are generated from the declarations and
rules.toml, a new declaration reaches the suite, the anomaly list and both messages, and an
override in rules.toml reaches the anomaly's severity."""
from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import precision as P
from pipeline import suites
from pipeline.checks.base import Tables, row
from pipeline.rules import GX_SEVERITY, RULES, rule
from pipeline.validate import validate
from tests.formkit import contract_tables, form, fund, item, write_curated


def test_the_committed_suites_are_generated_from_the_declarations():
    assert suites.stale() == [], "run `make suites`"


def test_every_rule_has_one_expectation_with_its_severity():
    linked = {e["meta"]["rule_id"]: (family.removesuffix(".json"), e["severity"])
              for family, text in suites.suite_files({}).items() for e in json.loads(text)["expectations"]}
    assert linked == {r.rule_id: (r.family, GX_SEVERITY[r.severity]) for r in RULES.values()}


def one_form_tables() -> dict[str, list[dict]]:
    """A clean form but for its total: 99 printed where the scores add up to 100."""
    items = [item("产出指标", "开展活动次数", "90", "90", "≥30次", "37次")]
    return contract_tables([form("甲项目", funds=[fund("年度资金总额", "20", "20", "100%", "10", "10")],
                                 items=items, total_score="99")])


def generate(tmp_path: Path, overrides: str = "") -> Path:
    folder, config = tmp_path / "expectations", tmp_path / "rules.toml"
    config.write_text(overrides, encoding="utf-8")
    suites.write_suites(folder, config)
    return folder


def test_an_override_sets_the_severity_the_anomaly_gets(tmp_path):
    folder = generate(tmp_path, '[score_total]\nseverity = "info"\n')
    anomalies = validate(write_curated(one_form_tables(), tmp_path / "curated"), folder)["anomalies"]
    assert [(a["rule_id"], a["severity"]) for a in anomalies] == [("score_total", "info")]


def test_a_tolerance_override_accepts_the_gap_and_disabling_silences(tmp_path):
    for overrides in ("[score_total]\ntolerance = 1\n", "[score_total]\nenabled = false\n"):
        folder = generate(tmp_path, overrides)
        assert validate(write_curated(one_form_tables(), tmp_path / "curated"), folder)["anomalies"] == []


def test_an_unknown_rule_in_the_overrides_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no rule 'score_totl'"):
        generate(tmp_path, "[score_totl]\nseverity = \"info\"\n")


@pytest.fixture
def declared_rule() -> Iterator[str]:
    """A rule declared the one way rules are: a decorated check."""
    @rule("total_not_99", "scores", "warning", ("总分为99", "Total of 99"),
          ("总分为 {observed}，不应为 {expected}", "The total is {observed}; it should not be {expected}"))
    def check_total_not_99(t: Tables, ev: dict) -> Iterator[dict]:
        """A form's total is not 99."""
        if ev.get("total_score") is not None:
            printed = P.from_float(ev["total_score"])
            yield row("total_not_99", ev, "合计", P.show(printed), "99", P.excess(Decimal(printed == 99)),
                      f"合计 {P.show(printed)}", ev.get("project"))
    yield "total_not_99"
    del RULES["total_not_99"]


def test_a_rule_added_by_one_declaration_is_in_suite_list_and_messages(declared_rule, tmp_path):
    folder = generate(tmp_path)
    suite = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    assert [e["severity"] for e in suite["expectations"] if e["meta"]["rule_id"] == declared_rule] == ["warning"]
    assert "A form's total is not 99." in (folder / "README.md").read_text(encoding="utf-8")
    anomalies = validate(write_curated(one_form_tables(), tmp_path / "curated"), folder)["anomalies"]
    found = [a for a in anomalies if a["rule_id"] == declared_rule]
    assert [(a["severity"], a["message_zh"], a["message_en"]) for a in found] == [
        ("warning", "总分为 99，不应为 99", "The total is 99; it should not be 99")]


def test_messages_group_thousands_translate_units_and_quote_once():
    from pipeline.rules import message
    check = {"rule_id": "claim_vs_form", "project": "“人大代表之家”“人大代表联络站”建设经费项目", "field": "全年执行数",
             "field_en": "executed amount", "observed": "250.2 万元", "expected": "25050 百元"}
    assert message("claim_vs_form", check) == (
        "报告中“人大代表之家”“人大代表联络站”建设经费项目的全年执行数为 250.2 万元，表中为 25,050 百元",
        "The report gives executed amount of “人大代表之家”“人大代表联络站”建设经费项目 as 250.2 ×10,000 yuan; "
        "the form prints 25,050 ×100 yuan")
