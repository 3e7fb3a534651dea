"""Reviewers' decisions on anomalies, kept in ``reviews.csv`` and re-applied on every run.

``reviews.csv`` (UTF-8, with or without BOM; default ``<out>/reviews.csv``, beside the tables,
which ``make clean`` leaves alone) has one row per decision:

=============  ===========================================================================
anomaly_id     the anomaly's id as in ``anomalies.parquet`` / ``reports/anomalies.csv``
decision       ``confirmed`` (checked against the source: the document is wrong),
               ``false_positive`` (the pipeline misread the document),
               ``explained`` (a real break with a reason, e.g. a rounding rule, given in note)
note           free text: why
reviewer       who decided
date           when (ISO date, ``2024-05-31``)
=============  ===========================================================================

anomaly_id is derived from the document's content and the finding's place in it, so a
decision holds as long as the document is unchanged. A decision whose anomaly is gone (the
document changed, or the pipeline no longer finds it) is *stale*: listed on the page and in
``reports/stale_reviews.csv``, never applied to another anomaly. A later row for the same
anomaly_id overrides an earlier one.
"""
from __future__ import annotations

import csv
from pathlib import Path

REVIEWS_FILE = "reviews.csv"
REVIEW_FIELDS = ("anomaly_id", "decision", "note", "reviewer", "date")
DECISIONS = {"confirmed": ("已核实", "confirmed"), "false_positive": ("误报", "false positive"),
             "explained": ("有合理解释", "explained")}
# reviews.csv column -> anomalies column
ANOMALY_COLUMNS = {"decision": "review_decision", "note": "review_note", "reviewer": "reviewer",
                   "date": "review_date"}


def read_reviews(path: Path) -> tuple[dict[str, dict], list[str]]:
    """Decisions by anomaly_id, and the problems of rows that could not be used."""
    if not path.exists():
        return {}, []
    reviews, problems = {}, []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            row = {k: (row.get(k) or "").strip() or None for k in REVIEW_FIELDS}
            if not row["anomaly_id"]:
                problems.append(f"{path.name} line {n}: no anomaly_id")
            elif row["decision"] not in DECISIONS:
                problems.append(f"{path.name} line {n}: decision {row['decision']!r} is not one of "
                                f"{', '.join(DECISIONS)}")
            else:
                reviews[row["anomaly_id"]] = row
    return reviews, problems


def apply_reviews(anomalies: list[dict], reviews: dict[str, dict]) -> list[dict]:
    """Set the review columns of each anomaly (null when undecided); returns the anomalies."""
    for a in anomalies:
        review = reviews.get(a["anomaly_id"], {})
        a.update({column: review.get(key) for key, column in ANOMALY_COLUMNS.items()})
    return anomalies


def stale_reviews(reviews: dict[str, dict], present: set[str]) -> list[dict]:
    """The reviews whose anomaly is not among the ``present`` anomaly ids."""
    return [r for anomaly_id, r in reviews.items() if anomaly_id not in present]


def write_stale(stale: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=REVIEW_FIELDS)
        writer.writeheader()
        writer.writerows(stale)
