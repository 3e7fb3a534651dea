"""Reader for HTML pages: every innermost <table> becomes a grid table block (rowspan/colspan
laid out by ``parsers.readers.grid``), headings and paragraphs outside tables become text blocks.
``line`` is the HTML source line of the cell or paragraph."""
from __future__ import annotations

import lxml.html
import regex

from parsers.blocks import Block
from parsers.readers import MAX_SPAN
from parsers.readers.grid import place_spans

TEXT_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "title", "pre"})
ROW_PATHS = "./tr|./thead/tr|./tbody/tr|./tfoot/tr"


def _span(cell, name: str) -> int:
    """rowspan/colspan as a browser takes it: at least 1, at most the standard's clamp."""
    try:
        span = int(str(cell.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return min(max(1, span), MAX_SPAN[name == "colspan"])


def _text(el) -> str:
    return el.text_content().replace("\r", "").strip()


def _is_data_table(el) -> bool:
    """A table without tables inside; pages often lay themselves out in an outer table."""
    return el.tag == "table" and not el.xpath(".//table")


def _inside_data_table(el) -> bool:
    return any(_is_data_table(a) for a in el.iterancestors("table"))


def _decoded(data: bytes) -> str | bytes:
    """UTF-8 pages as text (lxml guesses Latin-1 without a charset meta); others as bytes so
    lxml honours their meta charset (GB2312/GBK pages)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
    return regex.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def read_html(data: bytes) -> list[Block]:
    """Blocks of an HTML page in document order (the encoding comes from the page's meta)."""
    if not data.strip():
        return []
    # huge_tree: pages nested deeper than libxml2's default limit are read, not cut short
    root = lxml.html.document_fromstring(_decoded(data), parser=lxml.html.HTMLParser(huge_tree=True))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks: list[Block] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or _inside_data_table(el):
            continue
        if _is_data_table(el):
            rows = [[(_text(td), td.sourceline or 0, _span(td, "rowspan"), _span(td, "colspan"))
                     for td in tr if td.tag in ("td", "th")] for tr in el.xpath(ROW_PATHS)]
            if rows:
                blocks.append({"type": "table", "rows": place_spans(rows)})
        elif el.tag in TEXT_TAGS and (text := _text(el)):
            blocks.append({"type": "text", "text": text, "line": el.sourceline or 0, "page": None})
    return blocks
