import hashlib

import pytest

from pipeline.ingest import decode, detect_format, detect_layout, discover, ingest_file, read_manifest
from tests.conftest import fixture_text

TITLE = ("安岳县 2023年度项目支出绩效自评计分表\n（安岳县人民代表大会会议经费项目）\n"
         "预算单位名称：安岳县人大常委会办公室\n")


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"),
])
def test_text_encodings(encoding, expected):
    text, found = decode(TITLE.encode(encoding))
    assert (text, found) == (TITLE, expected)


def test_binary_is_not_text():
    assert decode(b"\x00\x01\x02binary") is None


@pytest.mark.parametrize("name, head, expected", [
    ("a.pdf", b"%PDF-1.7", "pdf"), ("a.txt", b"%PDF-1.4", "pdf"), ("a.docx", b"PK\x03\x04", "docx"),
    ("a.doc", b"\xd0\xcf\x11\xe0", "doc"), ("a.wps", b"\xd0\xcf\x11\xe0", "wps"),
    ("a.htm", b"<!DOCTYPE html><html>", "html"), ("a.txt", "项目名称".encode(), "txt"),
])
def test_format_from_magic_then_extension(tmp_path, name, head, expected):
    assert detect_format(tmp_path / name, head) == expected


def test_layouts():
    assert detect_layout(fixture_text("xiangshan_project_list.txt")) == "cell_lines"
    assert detect_layout(TITLE * 3) == "flow_text"
    assert detect_layout("hello world") == "other"


def test_ingest_file_hashes_and_decodes_gb18030(tmp_path):
    data = fixture_text("xiangshan_project_list.txt").encode("gb18030")
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "list.txt"
    path.write_bytes(data)
    doc = ingest_file(tmp_path, path)
    sha = hashlib.sha256(data).hexdigest()
    assert (doc["sha256"], doc["doc_id"], doc["source_path"]) == (sha, sha[:16], "sub/list.txt")
    assert (doc["format"], doc["encoding"], doc["layout"]) == ("txt", "gb18030", "cell_lines")


def test_discover_skips_manifest_and_hidden(tmp_path):
    for name in ("b.txt", "a.txt", ".hidden.txt", "manifest.csv"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in discover(tmp_path)] == ["a.txt", "b.txt"]


def test_manifest(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "path,region,org_unit,fiscal_year,url\na.txt,相山区,相山区人大办公室,2023,https://example.org/a\nb.txt,,,,\n",
        encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert manifest["a.txt"] == {"region": "相山区", "org_unit": "相山区人大办公室", "fiscal_year": 2023,
                                 "url": "https://example.org/a"}
    assert manifest["b.txt"] == {"region": None, "org_unit": None, "fiscal_year": None, "url": None}
