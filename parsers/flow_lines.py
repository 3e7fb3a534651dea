"""Lines of PDF-extracted text (the grid lost): numbered, page furniture removed.

PDF text puts every cell on its own line(s): a cell wraps over several lines, neighbouring
short cells may share one line, and page numbers (`- 29 -`) cut through rows. The flow
recognizers work on the numbered non-blank lines this module gives them.
"""
from __future__ import annotations

import unicodedata
from typing import NamedTuple

import regex

from parsers.text import clean_cell

_PAGE_NUMBER = regex.compile(r"^[-－—–]\s*\d{1,4}\s*[-－—–]$|^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$")
_STANDALONE_NUMBER = regex.compile(r"^-?\d+(?:\.\d+)?$")
_SENTENCE_END = "。；;！!？?"


class Line(NamedTuple):
    no: int      # 1-based line in the source text
    text: str    # stripped


def read_lines(text: str) -> list[Line]:
    """Non-blank lines, stripped, page numbers dropped."""
    return lines_of(enumerate(text.splitlines(), start=1))


def lines_of(numbered) -> list[Line]:
    """(line number, text) pairs as Lines: stripped, blank lines and page numbers dropped."""
    out = []
    for no, raw in numbered:
        line = raw.strip().replace("\u3000", " ").strip()
        if line and not _PAGE_NUMBER.match(line):
            out.append(Line(no, line))
    return out


def is_number_line(text: str) -> bool:
    return bool(_STANDALONE_NUMBER.match(text.strip()))


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip()[-1] in _SENTENCE_END


def width(text: str) -> int:
    """Printed width: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def join_cell(texts: list[str]) -> str | None:
    """The lines of one wrapped cell as one value (wrapping removed, spaces inside kept)."""
    return clean_cell("\n".join(texts))
