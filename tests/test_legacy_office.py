"""Legacy Office files read through LibreOffice: a .doc that LibreOffice writes from the DOCX of a
real form, the same bytes named .wps, and an .et/.xls written from the XLSX give the same tables
as the DOCX/XLSX; without LibreOffice the status says what to install."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from parsers.readers import legacy_office
from parsers.readers.legacy_office import ConversionFailed, soffice
from pipeline.extract import process_file
from tests.spanned_forms import R01_YUNNAN, to_docx, to_xlsx

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
CONTENT = ("evaluations", "indicators", "funds", "goals")
IDS = ("doc_id", "eval_id", "source_line", "source_page")


def written_by_libreoffice(tmp_path: Path, data: bytes, suffix: str, target: str) -> bytes:
    """What LibreOffice saves as ``target`` (e.g. `doc:MS Word 97`) from a file of ``suffix``."""
    src = tmp_path / f"form.{suffix}"
    src.write_bytes(data)
    subprocess.run([soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(tmp_path / "legacy"), str(src)],
                   check=True, capture_output=True, timeout=120)
    return (tmp_path / "legacy" / f"form.{target.split(':')[0]}").read_bytes()


def word_docx(rows: list[list]) -> bytes:
    """The DOCX of a form as Word saves it: a paragraph after the table (LibreOffice's .doc export
    drops a table that ends the document)."""
    import io

    import docx

    document = docx.Document(io.BytesIO(to_docx(rows)))
    document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def content(tables: dict) -> dict:
    """The rows a file gives, without ids and line numbers (a conversion may renumber lines)."""
    return {t: [{k: v for k, v in row.items() if k not in IDS} for row in tables[t]] for t in CONTENT}


def tables_of(tmp_path: Path, name: str, data: bytes) -> dict:
    folder = tmp_path / name.replace(".", "_")
    folder.mkdir()
    (folder / name).write_bytes(data)
    return process_file(folder, folder / name, {})


@needs_soffice
@pytest.mark.parametrize("name, modern, write, legacy_filter", [
    ("form.doc", "form.docx", word_docx, "doc:MS Word 97"),
    ("form.wps", "form.docx", word_docx, "doc:MS Word 97"),  # WPS saves Word binaries as .wps
    ("form.et", "form.xlsx", to_xlsx, "xls:MS Excel 97"),
    ("form.xls", "form.xlsx", to_xlsx, "xls:MS Excel 97"),
])
def test_legacy_file_gives_the_tables_of_its_modern_twin(tmp_path, name, modern, write, legacy_filter):
    data = write(R01_YUNNAN)
    legacy = written_by_libreoffice(tmp_path, data, modern.split(".")[1], legacy_filter)
    from_modern, from_legacy = tables_of(tmp_path, modern, data), tables_of(tmp_path, name, legacy)
    assert (from_legacy["documents"][0]["format"], from_legacy["documents"][0]["status"]) == (name[5:], "ok")
    assert len(from_legacy["indicators"]) == 9
    assert content(from_legacy) == content(from_modern)


@needs_soffice
def test_damaged_doc_fails_with_what_went_wrong(tmp_path):
    doc = tables_of(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)["documents"][0]
    assert (doc["status"], doc["error"]) == ("failed", "LibreOffice could not convert this .doc file to .docx")


def test_without_libreoffice_the_status_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy_office, "soffice", lambda: None)
    doc = tables_of(tmp_path, "old.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)["documents"][0]
    assert doc["status"] == "unsupported"
    assert doc["error"] == ("LibreOffice is needed to read it (Debian: apt-get install libreoffice-writer-nogui "
                            "libreoffice-calc-nogui)")


def test_a_hanging_conversion_is_killed(tmp_path, monkeypatch):
    hanging = tmp_path / "soffice"
    hanging.write_text("#!/bin/sh\nsleep 30 &\nwait\n")  # a child of its own, killed with it
    hanging.chmod(0o755)
    monkeypatch.setattr(legacy_office, "soffice", lambda: str(hanging))
    with pytest.raises(ConversionFailed, match="took over 0.5 s"):
        legacy_office.convert(b"", "doc", "docx", timeout=0.5)


def test_ofd_is_reported_as_not_read(tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as ofd:
        ofd.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>')
        ofd.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    doc = tables_of(tmp_path, "自评表.ofd", buf.getvalue())["documents"][0]
    assert (doc["format"], doc["status"]) == ("ofd", "unsupported")
    assert doc["error"].startswith("OFD (GB/T 33190) is not read")
