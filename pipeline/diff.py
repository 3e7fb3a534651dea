"""Anomalies new, resolved and changed between two runs (two output folders).

Same anomaly_id: the same finding on the same document content; it is *changed* when what it
says differs (severity, observed, expected, message). An id found in one run only is paired
with one of the other run at the same place (the file's path, the rule, the project, the
form's position in it, the item): the document changed and the finding is still there, also
*changed*. The rest are *new* (only in the new run) or *resolved* (only in the old).
"""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

COMPARED = ("severity", "observed", "expected", "message_zh")
PLACE = ("source_path", "rule_id", "project", "field")


def load_anomalies(out_dir: Path) -> dict[str, dict]:
    path = out_dir / "anomalies.parquet"
    if not path.exists():
        raise FileNotFoundError(f"no anomalies.parquet in {out_dir}: run `python -m pipeline validate` first")
    return {a["anomaly_id"]: a for a in pq.read_table(path).to_pylist()}


def place(a: dict) -> tuple:
    form = (a.get("eval_id") or "").rpartition("-")[2]  # the form's ordinal in its document
    return (*(a.get(k) for k in PLACE), form)


def diff_anomalies(old: dict[str, dict], new: dict[str, dict]) -> dict[str, list]:
    """``{"new": [a], "resolved": [a], "changed": [(old_a, new_a)], "unchanged": n}``."""
    changed = [(old[i], new[i]) for i in sorted(old.keys() & new.keys())
               if any(old[i].get(k) != new[i].get(k) for k in COMPARED)]
    only_old = {i: a for i, a in old.items() if i not in new}
    only_new = {i: a for i, a in new.items() if i not in old}
    old_at: dict[tuple, list[dict]] = {}
    for a in only_old.values():
        old_at.setdefault(place(a), []).append(a)
    added = []
    for a in sorted(only_new.values(), key=lambda a: a["anomaly_id"]):
        if old_at.get(place(a)):
            before = old_at[place(a)].pop(0)
            del only_old[before["anomaly_id"]]
            changed.append((before, a))
        else:
            added.append(a)
    return {"new": added, "resolved": sorted(only_old.values(), key=lambda a: a["anomaly_id"]),
            "changed": changed, "unchanged": len(old.keys() & new.keys()) - sum(
                1 for o, n in changed if o["anomaly_id"] == n["anomaly_id"])}


def describe(a: dict) -> str:
    return f"{a['anomaly_id']}  {a['source_path']}  {a['rule_id']}  {a.get('field') or ''}: {a['message_en']}"


def diff_lines(result: dict[str, list]) -> list[str]:
    """The diff as lines of text: a count line, then `+ new`, `- resolved`, `~ changed`."""
    lines = [f"{len(result['new'])} new, {len(result['resolved'])} resolved, {len(result['changed'])} changed, "
             f"{result['unchanged']} unchanged"]
    lines += [f"+ {describe(a)}" for a in result["new"]]
    lines += [f"- {describe(a)}" for a in result["resolved"]]
    for before, after in result["changed"]:
        what = ", ".join(f"{k} {before.get(k)!r} -> {after.get(k)!r}" for k in COMPARED
                         if before.get(k) != after.get(k))
        ids = before["anomaly_id"] if before["anomaly_id"] == after["anomaly_id"] else \
            f"{before['anomaly_id']} -> {after['anomaly_id']}"
        lines.append(f"~ {ids}  {after['source_path']}  {after['rule_id']}: {what or 'same finding, new document'}")
    return lines
