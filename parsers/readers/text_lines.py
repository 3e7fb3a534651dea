"""Reader for text whose grid was lost (PDF text, text dumps): one text block per printed line.

Page furniture (`- 29 -`, `第 3 页 共 9 页`) is dropped; line numbers stay those of the source.
The recognizers read such lines as they read every other block (``parsers.recognizers``).
"""
from __future__ import annotations

from parsers.blocks import Block
from parsers.flow_lines import read_lines


def read_text_lines(text: str) -> list[Block]:
    return [{"type": "text", "text": line.text, "line": line.no, "page": None} for line in read_lines(text)]
