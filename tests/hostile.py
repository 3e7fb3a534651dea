"""Hostile and faulty inputs, built at test time (nothing stored): tiny files that claim huge
grids or inflate to gigabytes, text in unusual encodings, junk that looks like documents."""
from __future__ import annotations

import io
import zlib

BOMB_BYTES = 300 << 20  # inflated size of the PDF bomb's stream: past the reader's bound


def html_colspan_bomb() -> bytes:
    """122 bytes that ask for a billion-column table."""
    return b'<html><body><table><tr><td colspan=1000000000 rowspan=1000000000>x</td></tr></table></body></html>'


def xlsx_corner_bomb() -> bytes:
    """A 5 KB workbook with values in A1 and XFD1048576: its grid is the whole sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "项目支出绩效自评表"
    book.active["XFD1048576"] = "x"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def pdf_stream_bomb(inflated: int = BOMB_BYTES) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(inflated >> 20)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def empty_zip() -> bytes:
    data = io.BytesIO()
    with __import__("zipfile").ZipFile(data, "w"):
        pass
    return data.getvalue()


def deep_html(depth: int, table: str) -> bytes:
    """A page whose table sits ``depth`` elements deep (lxml without huge_tree drops it)."""
    return ("<html><body>" + "<div>" * depth + table + "</div>" * depth + "</body></html>").encode()
