"""A document's text lines as one string, for patterns that run across wrapped lines.

Whitespace is removed (PDF text wraps a sentence, or a formula, anywhere); each line's start
offset is kept so a match finds the line, and page, it begins on. A heading line that does not
end its sentence gets a line break, so a sentence never runs into the heading that follows it;
so does a line holding only a figure (a table cell of flowing PDF text).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from parsers.blocks import Block

# 一、 / （一） / (1) / 1. / 1、 open a heading; `01.72万元` (a wrapped number) does not.
HEADING = regex.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,2}[）)]"
                        r"|[1-9]\d?[．.、](?!\d))")
_CJK_HEADING = regex.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]{1,2}[）)])")
_HEADING_END = regex.compile(r"[。：:；;]")
HEADING_STOP = "\n"
_AFTER_HEADING = ("。", "；", ";", "：", ":", "！", "？", "!", "?", HEADING_STOP)
_NUMBER = regex.compile(r"^-?\d+(?:\.\d+)?%?$")
MAX_SECTION_LEN = 40


def section_title(text: str) -> str:
    return _HEADING_END.split(text, maxsplit=1)[0][:MAX_SECTION_LEN]


def is_heading(text: str) -> bool:
    return bool(HEADING.match(text))


@dataclass
class LineText:
    text: str                 # the lines joined, whitespace removed
    starts: list[int]         # offset where each line starts
    lines: list[Block]        # the line blocks
    sections: list[str | None]  # the heading each line is under

    def line_at(self, pos: int) -> Block:
        return self.lines[bisect.bisect_right(self.starts, pos) - 1]

    def section_at(self, pos: int) -> str | None:
        return self.sections[bisect.bisect_right(self.starts, pos) - 1]


def opens_heading(text: str, previous: str | None) -> bool:
    """一、 and （一） always open a heading; a numbered one (`1.`, `2、`, `(3)`) only after a
    sentence's end, another heading or nothing: a wrapped line may begin `2、` inside a sentence."""
    if not is_heading(text):
        return False
    return (bool(_CJK_HEADING.match(text)) or previous is None or previous.endswith(_AFTER_HEADING)
            or is_heading(previous))


def join_lines(lines: list[Block]) -> LineText:
    parts, starts, sections, section, pos = [], [], [], None, 0
    previous = None
    for line in lines:
        text = "".join(line["text"].split())
        heading, previous = opens_heading(text, previous), text
        if heading:
            section = section_title(text)
            if not _HEADING_END.search(text):
                text += HEADING_STOP
        elif _NUMBER.match(text):   # a table cell's lone figure, not part of a wrapped sentence
            text += HEADING_STOP
        starts.append(pos)
        sections.append(section)
        parts.append(text)
        pos += len(text)
    return LineText("".join(parts), starts, lines, sections)


def text_lines(rows: list[list[dict]]) -> list[Block]:
    """The one-cell rows of a reader's rows as line blocks (the prose between tables)."""
    return [{"type": "text", "text": row[0]["text"], "line": row[0]["line"], "page": row[0].get("page")}
            for row in rows if len(row) == 1]
