"""Ingest: find input files, hash them, detect format, text encoding and layout."""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import regex

MANIFEST = "manifest.csv"
MANIFEST_FIELDS = ("region", "org_unit", "fiscal_year", "url")
TEXT_ENCODINGS = ("utf-8", "gb18030")
FIRST_YEAR, LAST_YEAR = 1950, 2100  # a manifest fiscal_year outside is a typo
_YEAR = regex.compile(r"(\d{4})\s*(?:年度?)?")
_HAN = regex.compile(r"\p{Han}")
# Leading bytes -> format; checked before the extension, which scrapers often get wrong.
MAGIC = ((b"%PDF", "pdf"), (b"\xd0\xcf\x11\xe0", "ole"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"))
EMPTY = "empty"  # the format of a file of 0 bytes, whatever its name says
HTML_SUFFIXES = ("html", "htm", "shtml", "xhtml")
# What may precede the first tag of an HTML page: a BOM, blanks, comments (`<!-- saved from url`),
# an XML declaration, <meta> lines written before <html>.
_HTML_PREAMBLE = rb"(?:\s|\xef\xbb\xbf|<!--.*?-->|<\?xml[^>]*>|<meta[^>]*>)*"
_HTML_START = regex.compile(_HTML_PREAMBLE + rb"(?:<!DOCTYPE\s+html|<html|<head|<body|<table)",
                            flags=regex.I | regex.S)


def display_path(rel: str) -> str:
    """A relative path as shown in the tables: bytes of a name that is not UTF-8 (kept by
    ``surrogateescape``) as ``\\xNN`` escapes, so every table stays valid UTF-8."""
    return os.fsencode(rel).decode("utf-8", errors="backslashreplace")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks (a large file is not held in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def discover(root: Path, skip: Path | None = None) -> list[Path]:
    """Every input file below root, in a stable order. Hidden files and folders, the manifest
    and the folder ``skip`` (the output folder, when it lies inside the input) are left out,
    and the walk does not enter them (an output cache can hold a file per input)."""
    skip = skip.resolve() if skip else None
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and Path(folder, d).resolve() != skip]
        files += [Path(folder, n) for n in names if not n.startswith(".") and Path(folder, n).is_file()]
    files = [p for p in files if p.relative_to(root).as_posix() != MANIFEST]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_manifest(root: Path, problems: list[str] | None = None) -> dict[str, dict]:
    """``raw/manifest.csv`` (path, region, org_unit, fiscal_year, url) keyed by relative path,
    decoded like the documents. A bad row is left out and described in ``problems``."""
    path = root / MANIFEST
    problems = [] if problems is None else problems
    if not path.exists():
        return {}
    decoded = decode(path.read_bytes())
    if decoded is None:
        problems.append(f"{MANIFEST}: not text; ignored")
        return {}
    manifest = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(clean_text(decoded[0])[0], newline="")), start=2):
        try:
            manifest[(row.get("path") or "").strip()] = manifest_entry(row)
        except ValueError as exc:
            problems.append(f"{MANIFEST} line {number}: {exc}; row ignored")
    return manifest


def manifest_entry(row: dict) -> dict:
    """One manifest row's metadata; ValueError for a row that cannot be right."""
    if not (row.get("path") or "").strip():
        raise ValueError("no path")
    meta = {k: (row.get(k) or "").strip() or None for k in MANIFEST_FIELDS}
    if meta["fiscal_year"]:
        m = _YEAR.fullmatch(meta["fiscal_year"])
        if not m or not FIRST_YEAR <= int(m[1]) <= LAST_YEAR:
            raise ValueError(f"fiscal_year {meta['fiscal_year']!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
        meta["fiscal_year"] = int(m[1])
    return meta


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
    if _HTML_START.match(head) or _HTML_START.match(wide_to_utf8(head)):
        return "html"
    return "html" if suffix in HTML_SUFFIXES else "txt"


# Byte-order marks, longest first (a UTF-32-LE BOM starts with the UTF-16-LE one).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"))
WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
# Control characters that never belong in a disclosure's text (TAB, LF, FF, CR do).
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
BINARY_SHARE = 0.05  # more control characters than this share of the text: binary data, not text


def wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the NUL bytes fall (ASCII and CJK text in UTF-16
    has a NUL in most code units' high byte; UTF-32 in the two high bytes of every unit)."""
    sample = data[:4096]
    if len(sample) < 8 or sample.count(0) < len(sample) // 4:
        return None
    quads = [sample[i::4].count(0) / len(sample[i::4]) for i in range(4)]
    if quads[2] > 0.9 and quads[3] > 0.9:
        return "utf-32-le"
    if quads[0] > 0.9 and quads[1] > 0.9:
        return "utf-32-be"
    odd, even = sample[1::2].count(0) / len(sample[1::2]), sample[0::2].count(0) / len(sample[0::2])
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def wide_to_utf8(head: bytes) -> bytes:
    """The start of a UTF-16/32 file as UTF-8 (to sniff HTML); other bytes unchanged."""
    encoding = next((enc for bom, enc, _ in BOMS if head.startswith(bom)), None) or wide_encoding(head)
    if encoding in (None, "utf-8"):
        return head
    return head.decode(encoding, errors="ignore").encode("utf-8")


def decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-8, GB18030, UTF-16 or UTF-32 (with or without BOM); None for
    binary data. Control characters are kept: ``clean_text`` strips them and says so."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), name
    if wide := wide_encoding(data):
        return data.decode(wide, errors="replace"), wide
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return (text, encoding) if len(_CONTROL.findall(text[:65536])) <= BINARY_SHARE * len(text[:65536]) else None
    return None


def clean_text(text: str) -> tuple[str, str | None]:
    """The text without stray control characters (NULs left by a converter), and a note."""
    found = _CONTROL.findall(text)
    if not found:
        return text, None
    return _CONTROL.sub("", text), f"{len(found)} control characters (NUL and the like) removed from the text"


@cache
def table_layouts() -> tuple[tuple[str, Callable[[str], bool]], ...]:
    """Text layouts of flattened tables, most distinctive first; flow_text is what remains.
    Imported when a text is first looked at: an unchanged run reads none and loads no reader."""
    from parsers.readers.cell_lines import looks_like_cell_lines
    from parsers.readers.paragraph_cells import looks_like_paragraph_cells
    from parsers.readers.pipe_cells import looks_like_pipe_cells
    from parsers.readers.prose_lines import looks_like_prose
    from parsers.readers.run_on import looks_like_run_on
    from parsers.readers.spaced_cells import looks_like_spaced_cells

    return (("cell_lines", looks_like_cell_lines),          # a TAB opens each cell
            ("pipe_cells", looks_like_pipe_cells),          # `a | b |` HTML tables saved as text
            ("spaced_cells", looks_like_spaced_cells),      # cells joined by spaces on long lines
            ("paragraph_cells", looks_like_paragraph_cells),  # one cell per paragraph, NBSP empty cells
            ("run_on", looks_like_run_on),                  # cells run together, no separator at all
            ("prose", looks_like_prose))                    # web page text: a paragraph per long line


def detect_layout(text: str) -> str:
    """A table layout from ``table_layouts``, flow_text (PDF text with the grid lost) or other."""
    for layout, looks_like in table_layouts():
        if looks_like(text):
            return layout
    if len(_HAN.findall(text[:20000])) >= 20:
        return "flow_text"
    return "other"


def ingest_file(root: Path, path: Path) -> dict:
    """The document record of one file; ``text`` is set for text input and dropped before writing.
    ``notes`` say what was mended; ``unreadable`` says what a file without a reader really is."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    rel = path.relative_to(root).as_posix()
    doc = {"doc_id": sha[:16], "source_path": display_path(rel), "sha256": sha,
           "format": detect_format(path, data[:1024]), "encoding": None, "layout": None, "text": None,
           "data": data, "notes": [], "unreadable": None}
    if not data:
        doc["format"] = EMPTY
    if display_path(rel) != rel:
        doc["notes"].append("file name is not valid UTF-8 (bytes shown as \\xNN)")
    if doc["format"] in ("zip", "ole"):  # extension missing or wrong: look inside
        doc["format"] = sniff_container(doc["format"], data)
    if doc["format"] in ("txt", "html"):
        decoded = decode(data)
        if decoded:
            text, note = clean_text(decoded[0])
            doc["text"], doc["encoding"] = text, decoded[1]
            doc["notes"] += [note] if note else []
            if doc["format"] == "txt":
                doc["layout"] = detect_layout(doc["text"])
            elif note or decoded[1] in WIDE_ENCODINGS:  # the HTML reader takes UTF-8 or a meta charset
                doc["data"] = text.encode("utf-8")
    doc["unreadable"] = what_it_is(doc, data)
    return doc


def what_it_is(doc: dict, data: bytes) -> str | None:
    """For a file no reader takes: what it actually is (empty, a zip of something else, binary)."""
    if doc["format"] == EMPTY:
        return "empty file (0 bytes)"
    if doc["format"] == "zip":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError):
            return "damaged zip archive"
        return f"zip archive of {len(names)} files, none a Word or Excel document" if names else "empty zip archive"
    if doc["format"] == "ole":
        return "legacy Office (OLE) file that is neither Word nor Excel"
    if doc["format"] == "txt" and doc["text"] is None:
        return f"binary data, not text (no known file signature; starts {data[:8].hex(' ')})"
    return None
