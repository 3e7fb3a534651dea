"""Reader for prose pages (a 自评报告 saved from a web page): one text block per paragraph line.

Web text keeps a paragraph on one long line, unlike PDF text, which wraps at the page width
(that is ``flow_text``)."""
from __future__ import annotations

from parsers.blocks import Block

LONG_LINE = 60
MIN_LONG_SHARE = 0.5  # of the characters in long lines


def looks_like_prose(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    total = sum(len(ln) for ln in lines)
    return total > 0 and sum(len(ln) for ln in lines if len(ln) >= LONG_LINE) / total >= MIN_LONG_SHARE


def read_prose_lines(text: str) -> list[Block]:
    return [{"type": "text", "text": line.strip(), "line": number, "page": None}
            for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
