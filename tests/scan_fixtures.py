"""Scans made from the project's own PDF renderings (tests and the OCR benchmark): each page
rasterized (pypdfium2), speckled with noise, turned by a fraction of a degree, a red stamp pressed
over some cells, and the images put back together as an image-only PDF (Pillow), as a county
office's scanner makes them, one page in memory at a time (a 33-page scan made in the benchmark
must not swell the process its workers are forked from). Seeded: the same arguments give the
same bytes."""
from __future__ import annotations

import io
from dataclasses import dataclass

STAMP_RED = (40, 40, 220)  # BGR: the red of an official seal


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 300
    angle: float = 0.7   # degrees, anticlockwise
    noise: float = 12.0  # standard deviation of the grey noise (0-255)
    stamp: bool = True   # a red seal over the lower right of every page
    seed: int = 7
    quarter_turns: int = 0  # pages scanned sideways: turned this many quarters anticlockwise


def scan_pdf(pdf_data: bytes, style: ScanStyle = ScanStyle(), pages: list[int] | None = None) -> bytes:
    """An image-only PDF of the given pages (1-based; all by default) of ``pdf_data``."""
    import numpy as np
    import pypdfium2 as pdfium

    rng = np.random.default_rng(style.seed)
    document, out = pdfium.PdfDocument(pdf_data), pdfium.PdfDocument.new()
    scans = []  # kept open until saved: the pages imported from them refer to their data
    for number in pages or range(1, len(document) + 1):
        page = document[number - 1]
        bitmap = page.render(scale=style.dpi / 72)
        image = bitmap.to_numpy()[:, :, :3].copy()
        bitmap.close()
        page.close()
        scans.append(pdfium.PdfDocument(image_pdf(scanned(image, style, rng), style.dpi)))
        out.import_pages(scans[-1])
        del image
    buf = io.BytesIO()
    out.save(buf)
    for doc in (*scans, out, document):
        doc.close()
    return buf.getvalue()


def scanned(image, style: ScanStyle, rng):
    import cv2
    import numpy as np

    if style.stamp:
        image = stamped(image, style.dpi)
    h, w = image.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), style.angle, 1.0)
    image = cv2.warpAffine(image, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    noisy = image.astype(np.float32) + rng.normal(0, style.noise, image.shape[:2])[:, :, None]
    return np.ascontiguousarray(np.rot90(np.clip(noisy, 0, 255).astype(np.uint8), style.quarter_turns))


def stamped(image, dpi: int):
    """A seal (ring, star, arc of text-like marks) multiplied over the page: black ink stays black."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    seal = np.full_like(image, 255)
    centre, radius = (int(w * 0.68), int(h * 0.55)), int(dpi * 0.75)
    cv2.circle(seal, centre, radius, STAMP_RED, thickness=max(2, dpi // 30))
    star = [(centre[0] + int(radius * 0.35 * np.cos(a)), centre[1] - int(radius * 0.35 * np.sin(a)))
            for a in np.pi / 2 + np.arange(5) * 4 * np.pi / 5]
    cv2.fillPoly(seal, [np.array(star, np.int32)], STAMP_RED)
    for a in np.linspace(np.pi * 0.15, np.pi * 0.85, 9):
        mark = (centre[0] + int(radius * 0.75 * np.cos(a)), centre[1] - int(radius * 0.75 * np.sin(a)))
        cv2.circle(seal, mark, dpi // 25, STAMP_RED, thickness=-1)
    return (image.astype(np.uint16) * seal // 255).astype(np.uint8)


def image_pdf(image, dpi: int) -> bytes:
    """A one-page PDF of the full-page image, with no text layer."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image[:, :, ::-1]).save(buf, "PDF", resolution=float(dpi))  # BGR -> RGB
    return buf.getvalue()
