"""Ingest: find input files, hash them, detect format, text encoding and layout."""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from pathlib import Path

import regex

from parsers.readers.cell_lines import looks_like_cell_lines
from parsers.readers.paragraph_cells import looks_like_paragraph_cells
from parsers.readers.pipe_cells import looks_like_pipe_cells
from parsers.readers.prose_lines import looks_like_prose
from parsers.readers.run_on import looks_like_run_on
from parsers.readers.spaced_cells import looks_like_spaced_cells

MANIFEST = "manifest.csv"
MANIFEST_FIELDS = ("region", "org_unit", "fiscal_year", "url")
TEXT_ENCODINGS = ("utf-8", "gb18030")
_HAN = regex.compile(r"\p{Han}")
# Leading bytes -> format; checked before the extension, which scrapers often get wrong.
MAGIC = ((b"%PDF", "pdf"), (b"\xd0\xcf\x11\xe0", "ole"), (b"PK\x03\x04", "zip"))


def discover(root: Path) -> list[Path]:
    """Every input file below root, in a stable order (hidden files and the manifest skipped)."""
    files = [p for p in root.rglob("*") if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(root).parts)
             and p.relative_to(root).as_posix() != MANIFEST]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_manifest(root: Path) -> dict[str, dict]:
    """``raw/manifest.csv`` (path, region, org_unit, fiscal_year, url) keyed by relative path."""
    path = root / MANIFEST
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    manifest = {}
    for row in rows:
        meta = {k: (row.get(k) or "").strip() or None for k in MANIFEST_FIELDS}
        if meta["fiscal_year"]:
            meta["fiscal_year"] = int(meta["fiscal_year"])
        manifest[(row.get("path") or "").strip()] = meta
    return manifest


# Streams inside a legacy OLE container (UTF-16 names) and parts inside an Office zip that tell
# what the file is when the extension does not (`download?id=502364`).
OLE_STREAMS = (("Workbook".encode("utf-16-le"), "xls"), ("WordDocument".encode("utf-16-le"), "doc"))
ZIP_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("OFD.xml", "ofd"))


def sniff_container(kind: str, data: bytes) -> str:
    """The Office format inside an OLE or zip container, or ``kind`` when unknown."""
    if kind == "ole":
        return next((fmt for name, fmt in OLE_STREAMS if name in data), "doc")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError):
        return kind
    return next((fmt for part, fmt in ZIP_PARTS if part in names), kind)


def detect_format(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower().lstrip(".")
    for magic, kind in MAGIC:
        if head.startswith(magic):
            if kind == "ole":  # legacy Office: .doc, .xls and .wps share this container
                return suffix if suffix in ("doc", "xls", "wps", "et") else "ole"
            if kind == "zip":
                return suffix if suffix in ("docx", "xlsx") else "zip"
            return kind
    if b"%PDF-" in head:  # PDF readers allow junk before the header (downloads often have some)
        return "pdf"
    if regex.match(rb"\s*(<!DOCTYPE html|<html|<table)", head[:512], flags=regex.I):
        return "html"
    return suffix if suffix in ("html", "htm") else "txt"


def decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-8 (with or without BOM) or GB18030; None for binary data."""
    if b"\x00" in data[:4096]:
        return None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


# Text layouts of flattened tables, most distinctive first; flow_text is what remains.
TABLE_LAYOUTS = (
    ("cell_lines", looks_like_cell_lines),          # a TAB opens each cell
    ("pipe_cells", looks_like_pipe_cells),          # `a | b |` HTML tables saved as text
    ("spaced_cells", looks_like_spaced_cells),      # cells joined by spaces on long lines
    ("paragraph_cells", looks_like_paragraph_cells),  # one cell per paragraph, NBSP empty cells
    ("run_on", looks_like_run_on),                  # cells run together, no separator at all
    ("prose", looks_like_prose),                    # web page text: a paragraph per long line
)


def detect_layout(text: str) -> str:
    """A table layout from TABLE_LAYOUTS, flow_text (PDF text with the grid lost) or other."""
    for layout, looks_like in TABLE_LAYOUTS:
        if looks_like(text):
            return layout
    if len(_HAN.findall(text[:20000])) >= 20:
        return "flow_text"
    return "other"


def ingest_file(root: Path, path: Path) -> dict:
    """The document record of one file; ``text`` is set for text input and dropped before writing."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    doc = {"doc_id": sha[:16], "source_path": path.relative_to(root).as_posix(), "sha256": sha,
           "format": detect_format(path, data[:1024]), "encoding": None, "layout": None, "text": None,
           "data": data}
    if doc["format"] in ("zip", "ole"):  # extension missing or wrong: look inside
        doc["format"] = sniff_container(doc["format"], data)
    if doc["format"] in ("txt", "html"):
        decoded = decode(data)
        if decoded:
            doc["text"], doc["encoding"] = decoded
            if doc["format"] == "txt":
                doc["layout"] = detect_layout(doc["text"])
    return doc
