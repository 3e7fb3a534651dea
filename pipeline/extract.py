"""Per-file extraction: ingest -> parse -> normalize, one file in, its contract rows out.

A file that cannot be read or understood gets its ``status``/``error`` in documents and the
batch goes on. ``pipeline.batch`` runs this over a folder and writes the tables.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from pathlib import Path

import schemas
from pipeline.ingest import detect_format, display_path, sha256_of

DOCUMENT_TABLES = ("evaluations", "indicators", "funds", "goals", "project_lists", "claims", "statements",
                   "cells")
TABLES = ("documents", *DOCUMENT_TABLES)
DUPLICATE = "duplicate"
DOC_DOUBTS = ("title", "region", "org_unit")  # inferred from lines: doubtful where OCR doubted those lines
OUT_OF_MEMORY = "too large (ran out of memory under the worker's --max-memory ceiling)"


def document_row(doc: dict, parsed: dict | None, status: str, error: str | None) -> dict:
    keys = schemas.column_names("documents")
    row = {k: doc.get(k) for k in keys}
    row.update(status=status, error=error, forms=len(parsed["forms"]) if parsed else 0,
               notes="; ".join(doc.get("notes") or []) or None, ocr_doubt=",".join(doc.get("ocr_doubt") or []) or None)
    return row


def path_id(rel: str) -> str:
    """The doc_id of a duplicate: from its path, so it differs from every content id."""
    return hashlib.sha256(b"path:" + os.fsencode(rel)).hexdigest()[:16]


def duplicate_row(document: dict, rel: str, manifest_entry: dict | None) -> dict:
    """The documents row of a path whose bytes ``document`` already has: read once, named in
    ``duplicate_of``; its own manifest entry still applies."""
    row = {**document, "doc_id": path_id(rel), "source_path": display_path(rel), "status": DUPLICATE,
           "error": None, "forms": 0, "duplicate_of": document["doc_id"], "url": None, "check_problems": None}
    apply_manifest(row, manifest_entry)
    return row


def process_file(root: Path, path: Path, manifest: dict[str, dict]) -> dict[str, list[dict]]:
    """All rows one file contributes to the contract tables, never raising for bad input. The
    readers and recognizers load here, where a file is read (an unchanged run reads none)."""
    from parsers.ocr_doubt import line_doubts
    from pipeline.ingest import ingest_file
    from pipeline.metadata import infer_metadata
    from pipeline.parse import Unreadable, Unsupported
    from pipeline.rescore import add_rule_scores
    from pipeline.tables import claim_rows, document_tables, unreadable_numbers

    doc = ingest_file(root, path)
    doc.update(region=None, org_unit=None, fiscal_year=None, title=None, url=None)
    out: dict[str, list[dict]] = {t: [] for t in DOCUMENT_TABLES}
    parsed, status, error = None, "ok", None
    try:
        parsed = parse_document(doc)
        titles = document_titles(parsed)
        doc.update(infer_metadata(parsed, titles))
        doc["title"] = titles[0] if titles else None
        apply_manifest(doc, manifest.get(doc["source_path"]))
        doc["ocr_doubt"] = line_doubts({k: doc[k] for k in DOC_DOUBTS}, parsed.get("blocks") or parsed["lines"])
        out.update(document_tables(doc, parsed))
        add_rule_scores(out["evaluations"], out["indicators"])
        issues = parsed["issues"] + [i for f in parsed["forms"] for i in f["issues"]] + unreadable_numbers(out)
        if issues:
            status, error = "partial", "; ".join(dict.fromkeys(issues))
    except Unsupported as exc:
        status, error = "unsupported", str(exc)
        doc.update(infer_metadata(exc.partial, []))
        out["claims"] = claim_rows(doc, exc.partial["claims"])   # arithmetic is checked without a form too
    except Unreadable as exc:
        status, error = "failed", str(exc)
    except MemoryError:
        status, error, out = "failed", OUT_OF_MEMORY, {t: [] for t in DOCUMENT_TABLES}
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        status = "failed"
        error = f"{type(exc).__name__}: {exc} (at {traceback.extract_tb(exc.__traceback__)[-1].name})"
        out = {t: [] for t in DOCUMENT_TABLES}
    apply_manifest(doc, manifest.get(doc["source_path"]))  # again: parsing may have stopped before it
    out["documents"] = [document_row(doc, parsed, status, error)]
    return out


def parse_document(doc: dict) -> dict:
    """``pipeline.parse.parse_document``, loaded with the readers when a file is first read."""
    from pipeline.parse import parse_document as parse

    return parse(doc)


def document_titles(parsed: dict) -> list[str]:
    """Form and list titles in source order."""
    titled = [(f["source_line"] or 0, f["title"]) for f in parsed["forms"]]
    titled += [(p["source_line"] or 0, p["title"]) for p in parsed["project_lists"]]
    titled += [(t["line"] or 0, t["text"]) for t in parsed.get("titles", [])]
    return list(dict.fromkeys(t for _, t in sorted(titled, key=lambda x: x[0]) if t))


def apply_manifest(doc: dict, meta: dict | None) -> None:
    """The manifest wins over what the text says (a researcher checked it)."""
    for key, value in (meta or {}).items():
        if value is not None:
            doc[key] = value


def failed_document_row(root: Path, rel: str, error: str) -> dict:
    """The documents row of a file whose processing never returned (a hung or killed worker)."""
    path = root / rel
    try:
        sha = sha256_of(path)
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        sha, head, error = None, b"", f"{error}; unreadable: {exc}"
    doc = {"doc_id": sha[:16] if sha else path_id(rel), "sha256": sha, "source_path": display_path(rel),
           "format": detect_format(path, head)}
    return document_row(doc, None, "failed", error)
