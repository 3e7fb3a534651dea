"""Cut a stream of rows into form segments: at form titles (``titles``), and where a form's
structure begins again without a title (a 项目名称 row after an indicator table)."""
from __future__ import annotations

from dataclasses import dataclass, field

from parsers.blocks import Cell
from parsers.recognizers.titles import Title, match_title
from parsers.text import match_header, norm_key
from parsers.vocabulary import INDICATOR_COLUMNS, META_LABELS

PROJECT_FIELD = "project"
LEVEL_FIELDS = frozenset({"level1", "level2", "level3"})


@dataclass
class Segment:
    """The rows of one form (or, first, of what precedes every title)."""
    title: Title | None
    line: int | None
    page: int | None
    rows: list[list[Cell]] = field(default_factory=list)
    has_indicators: bool = False   # an indicator header row seen: a 项目名称 row after it opens a new form

    @property
    def kind(self) -> str | None:
        return self.title.kind if self.title else None


def title_kind(text: str | None) -> str | None:
    """The form kind a title line names, or None."""
    title = match_title(text)
    return title.kind if title else None


def is_indicator_header(row: list[Cell]) -> bool:
    fields = {match_header(c["text"], INDICATOR_COLUMNS) for c in row}
    return len(fields & LEVEL_FIELDS) >= 2


def opens_project(row: list[Cell]) -> bool:
    return bool(row) and META_LABELS.get(norm_key(row[0]["text"]).rstrip(":：")) == PROJECT_FIELD


def split_by_titles(rows: list[list[Cell]]) -> list[Segment]:
    """Segments in order; the first holds what precedes the first title (it may be a form whose
    title was cut off)."""
    segments = [Segment(None, None, None)]
    for row in rows:
        hit = next(((n, t) for n, c in enumerate(row) if (t := match_title(c["text"]))), None)
        if hit is None:
            if segments[-1].has_indicators and opens_project(row):
                segments.append(Segment(None, row[0]["line"], row[0].get("page")))
            segments[-1].rows.append(row)
            segments[-1].has_indicators |= is_indicator_header(row)
            continue
        n, title = hit
        if any(c["text"].strip() for c in row[:n]):  # cells before the title belong to what came before
            segments[-1].rows.append(row[:n])
        segments.append(Segment(title, row[n]["line"], row[n].get("page")))
        if any(c["text"].strip() for c in row[n + 1:]):  # e.g. `部门：X` beside the title
            segments[-1].rows.append(row[n + 1:])
    return segments
