"""Cut a stream of rows into form segments: at form titles (``titles``), and where a form's
structure begins again without a title (a 项目名称 row after an indicator table)."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from parsers.blocks import Cell
from parsers.recognizers.titles import Title, match_title
from parsers.text import match_header, norm_key
from parsers.vocabulary import INDICATOR_COLUMNS, META_LABELS

PROJECT_FIELD = "project"
LEVEL_FIELDS = frozenset({"level1", "level2", "level3"})
MIN_LEVEL_HEADERS = 2
_ALTERNATIVES = regex.compile(r"[/／、或]")


@dataclass
class Segment:
    """The rows of one form (or, first, of what precedes every title)."""
    title: Title | None
    line: int | None
    page: int | None
    rows: list[list[Cell]] = field(default_factory=list)
    levels_seen: set[str] = field(default_factory=set)   # 一级/二级/三级 header cells seen

    @property
    def kind(self) -> str | None:
        return self.title.kind if self.title else None

    @property
    def has_indicators(self) -> bool:
        """An indicator header was seen: a 项目名称 cell after it opens a new form."""
        return len(self.levels_seen) >= MIN_LEVEL_HEADERS


def title_kind(text: str | None) -> str | None:
    """The form kind a title line names, or None."""
    title = match_title(text)
    return title.kind if title else None


def opens_project(cell: Cell) -> bool:
    """A 项目名称 label, also one of alternatives (`单位名称/项目名称`: a form for either)."""
    labels = _ALTERNATIVES.split(norm_key(cell["text"]).rstrip(":："))
    return any(META_LABELS.get(label) == PROJECT_FIELD for label in labels)


def split_by_titles(rows: list[list[Cell]]) -> list[Segment]:
    """Segments in order; the first holds what precedes the first title (it may be a form whose
    title was cut off). A form opens at a title cell, or at a 项目名称 cell after an indicator
    table; a row may hold several (a flattened dump puts a whole page in one row)."""
    segments = [Segment(None, None, None)]
    for row in rows:
        start = 0
        for n, cell in enumerate(row):
            title = match_title(cell["text"])
            if title or (segments[-1].has_indicators and opens_project(cell)):
                if any(c["text"].strip() for c in row[start:n]):
                    segments[-1].rows.append(row[start:n])
                segments.append(Segment(title, cell["line"], cell.get("page")))
                start = n + 1 if title else n
            elif (level := match_header(cell["text"], INDICATOR_COLUMNS)) in LEVEL_FIELDS:
                segments[-1].levels_seen.add(level)
        if start == 0 or any(c["text"].strip() for c in row[start:]):  # an empty row is an empty cell
            segments[-1].rows.append(row[start:])
    return segments
