"""OCR of PDF pages that have no usable text layer: rasterize, straighten, find the ruled grid from
the image, read the text boxes, and hand the PDF reader a page it reads like any other.

A page image (pypdfium2) is read through its red channel, so a red stamp over cells fades to
paper while black ink stays. The skew (up to a few degrees) is measured by the projection
profile of the ink and undone; ruling lines are found by morphology (OpenCV) and become the
page's ``edges`` in PDF points, so pdfplumber's table finder builds the cells exactly as for a
ruled text PDF. RapidOCR (its wheel ships the PP-OCR models: nothing is fetched at run time)
reads text lines with a box per character (per run of digits/Latin); each box becomes a
``char`` with its own confidence (the recognizer's, per character: ``AlignedRecBoxes``), so the
PDF reader's own code drops characters into cells, joins wrapped and stacked (vertical) text and
keeps lines outside the grid as text. Ink that no text box covers (a comma the detector missed)
is no text, but the character next to it loses confidence (``UNREAD_CONF``): the value it is part
of may lack a character, and is flagged, not trusted. The optional
extra ``.[ocr]`` installs all of this; without it ``ocr_available()`` is False and scanned
pages keep their ``needs OCR`` status.
"""
from __future__ import annotations

from functools import cache

OCR_DPI = 300           # render scale: PP-OCR reads 9pt CJK reliably from here
MAX_RASTER_PIXELS = 3600 * 5000  # an A3 page at OCR_DPI and a margin: a larger page is rendered at a lower dpi
RULE_MIN_PT = 12.0      # a ruling segment is at least this long (shorter than the lowest row, 16pt,
                        # longer than a stroke of a 9pt glyph)
SKEW_MAX_DEG = 3.0      # scans are straightened when turned by up to this
SKEW_WIDTH = 800        # pixels: the width of the reduced page the skew is measured on
CHAR_SIZE_SHARE = 0.75  # a glyph's font size as a share of its OCR box's short side
LOW_CONF = 0.9         # below this a value read by OCR is not trusted on its own
TEXT_SCORE = 0.3        # keep boxes down to this confidence (low ones are flagged, not dropped)
RED_MARGIN = 50         # a pixel this much redder than green and blue, and lighter than
RED_LIGHT = 160         # this in red, is seal ink (black ink under a seal stays darker)
BLANK_INK = 0.0005      # a page with less than this share of ink pixels is blank
UNREAD_MIN_PT = 1.6     # ink outside every text box, this tall or wide (a comma, a stroke; a
                        # dot of a `……` leader is ~1.2pt), may be a character OCR did not read ...
UNREAD_NEAR = 1.0       # ... and makes unsure the character within this many glyph sizes of it
UNREAD_CONF = 0.5       # the confidence such a character is left with
SIDEWAYS_SHAPE = 2.0    # a text line box this many times taller than wide runs down the page ...
SIDEWAYS_RATIO = 2.0    # ... and a page with this many times more such boxes than wide ones lies sideways
SIDEWAYS_SAMPLE = 8     # the largest boxes read both ways up to tell which way is up
UPRIGHT = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def ocr_available() -> bool:
    """The optional OCR extra is installed (rapidocr, onnxruntime, OpenCV)."""
    try:
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


OCR_PACKAGES = ("rapidocr", "onnxruntime", "opencv-python-headless")


def extra_version() -> str:
    """The installed OCR extra as ``name=version`` of each package (``name=none`` where one is
    missing): what a scan's rows depend on besides the code (``pipeline.cache``)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "none"
    return " ".join(f"{name}={installed(name)}" for name in OCR_PACKAGES)


def pages_ocr_may_read(path) -> int:
    """The pages of a file that OCR may have to read: every page of a PDF when the OCR extra is
    installed (which pages are scans shows only when they are read; the page count is read from
    the page tree alone, ~1 ms), else none."""
    if "=none" in extra_version():
        return 0
    try:
        with open(path, "rb") as file:
            if b"%PDF" not in file.read(1024):
                return 0
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 - an unreadable file gets the base budget; its reader says why
        return 0
    try:
        return len(document)
    finally:
        document.close()


@cache
def engine():
    """One RapidOCR engine per process (the models load once). The angle classifier is off: pages
    are straightened here, and it turns short numbers upside down (`99%` read as `%66`)."""
    from rapidocr import RapidOCR

    reader = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False,
                              "Global.text_score": TEXT_SCORE})
    reader.cal_rec_boxes = aligned_rec_boxes()
    return reader


def aligned_rec_boxes():
    """RapidOCR's word boxes with each box's own confidence. RapidOCR 3.10 pairs the per-character
    confidences of a line with its boxes by position, but spaces have a confidence and no box, and
    a run of digits is one box: after either, every box got another character's confidence."""
    from rapidocr.cal_rec_boxes import CalRecBoxes

    class AlignedRecBoxes(CalRecBoxes):
        def cal_ocr_word_box(self, rec_txt, bbox, word_info, return_single_char_box=False):
            contents, boxes, _ = super().cal_ocr_word_box(rec_txt, bbox, word_info, return_single_char_box)
            return contents, boxes, word_confidences(rec_txt, word_info.words, word_info.confs, len(contents))

    return AlignedRecBoxes()


def word_confidences(text: str, words: list[list[str]], confs: list[float], boxes: int) -> list[float]:
    """The confidence of each box: its character's, or the lowest of its run's. ``confs`` has one
    value per character of ``text`` (spaces included); ``words`` are its runs without spaces."""
    printed = iter(conf for char, conf in zip(text, confs, strict=False) if not char.isspace())
    per_word = [[next(printed, 0.0) for _ in word] for word in words]
    if boxes == len(words):
        return [min(word) for word in per_word]
    return [conf for word in per_word for conf in word]


class OcrPage:
    """A page read from its image, standing in for ``pdf.PageGeometry``: ``chars`` (with ``conf``),
    ``edges``, ``width``, ``height``, ``bbox`` in PDF points from the top-left."""

    def __init__(self, gray, width: float, height: float):
        import cv2

        self.scale = gray.shape[1] / width
        self.width, self.height = width, height
        self.bbox = (0, 0, width, height)
        self.image_area = 0.0
        self.edges, self.chars = [], []
        if ink(gray).mean() < BLANK_INK * 255:
            return  # a blank page: nothing for the (costly) text detector to find
        gray = straighten(gray)
        found = recognize(gray)
        turn = upright_turn(gray, found.boxes)
        if turn is not None:  # printed sideways (a landscape form): read it turned upright
            gray = cv2.rotate(gray, turn)
            self.width, self.height = height, width
            self.bbox = (0, 0, height, width)
            found = recognize(gray)
        self.edges = ruling_edges(gray, self.scale)
        self.chars, boxes = page_chars(found, self.scale)
        doubt_unread_ink(self.chars, unread_ink(gray, boxes, self.scale))


def render_page(pdf_data: bytes, number: int, dpi: int = OCR_DPI):
    """The page's image in grey, red ink faded (``without_red``), and its size in points. Only
    the grey image outlives the call: pdfium's page, bitmap and document are closed here, so a
    long scan is read with one page in memory at a time."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_data)
    try:
        page = document[number - 1]
        try:
            width, height = page.get_size()
            bitmap = page.render(scale=raster_scale(width, height, dpi))
            try:
                gray = without_red(bitmap.to_numpy())  # a new array: the bitmap's buffer goes below
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    return gray, width, height


def raster_scale(width: float, height: float, dpi: int) -> float:
    """Pixels per point: ``dpi``, lowered for a page larger than A3 so that its image has at most
    MAX_RASTER_PIXELS (a poster-sized page would need gigabytes; PP-OCR reads at most 2000 pixels
    a side anyway). Pages up to A3 keep ``dpi`` exactly: OCR reads a pixel less differently."""
    scale = dpi / 72
    return min(scale, (MAX_RASTER_PIXELS / (width * height)) ** 0.5)


def without_red(image):
    """The page in grey with red ink (seals, red-ink signatures) turned to paper: the red
    channel keeps black ink dark and shows red as light; what is clearly red becomes white."""
    import numpy as np

    blue, green, red = (image[:, :, i].astype(np.int16) for i in range(3))  # pypdfium2 gives BGR(A)
    gray = image[:, :, 2].copy()
    gray[(red - np.maximum(green, blue) > RED_MARGIN) & (red > RED_LIGHT)] = 255  # ink under a seal stays
    return gray


def ink(gray):
    """Dark pixels as white on black (what morphology works on)."""
    import cv2

    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def straighten(gray):
    """The page turned so its long ruling lines are level (scans are a degree or so off)."""
    import cv2
    import numpy as np

    angle = skew_angle(ink(gray))
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=int(np.median(gray)))


def skew_angle(binary) -> float:
    """The turn (degrees) that makes the page's rows of ink sharpest: ruling lines and text lines
    then fall into few pixel rows, so the row sums vary most (a projection profile, searched
    coarse then fine on a reduced image; HoughLines on the full page is ten times slower)."""
    import cv2

    small = cv2.resize(binary, None, fx=SKEW_WIDTH / binary.shape[1], fy=SKEW_WIDTH / binary.shape[1],
                       interpolation=cv2.INTER_AREA)
    coarse = [k * 0.2 for k in range(-int(SKEW_MAX_DEG * 5), int(SKEW_MAX_DEG * 5) + 1)]
    best = max(coarse, key=lambda angle: sharpness(small, angle))
    return max((best + k * 0.02 for k in range(-10, 11)), key=lambda angle: sharpness(small, angle))


def sharpness(binary, angle: float) -> float:
    import cv2

    h, w = binary.shape
    turned = cv2.warpAffine(binary, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h))
    return float(turned.sum(axis=1, dtype="float64").var())


def ruling_edges(gray, scale: float) -> list[dict]:
    """Horizontal and vertical ruling segments (pdfplumber edge dicts, in points)."""
    import cv2

    binary = ink(gray)
    length = max(3, int(RULE_MIN_PT * scale))
    edges = []
    for orientation, kernel in (("h", (length, 1)), ("v", (1, length))):
        mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))  # bridge noise gaps
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        for x, y, w, h, _ in stats[1:count]:
            edges.append(edge(orientation, x / scale, y / scale, (x + w) / scale, (y + h) / scale))
    return edges


def edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    """A ruling segment through the middle of the band of ink it was found in."""
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "edge"}


def recognize(gray):
    """RapidOCR's reading of a page image: text line boxes, texts, and word boxes."""
    import cv2

    return engine()(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), return_word_box=True)


def upright_turn(gray, boxes) -> int | None:
    """The quarter turn (an OpenCV rotate code) that sets a page printed sideways upright, or
    None. Sideways, the text line boxes that are clearly longer one way are mostly tall (upright,
    wide: stacked 一级指标 are few; short figures are neither); which way up is what the
    recognizer reads more surely from the largest of them, turned either way."""
    import cv2
    import numpy as np

    if boxes is None:
        return None
    spans = [(b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max()) for b in boxes]
    tall = [s for s in spans if s[3] - s[1] > SIDEWAYS_SHAPE * (s[2] - s[0])]
    wide = [s for s in spans if s[2] - s[0] > SIDEWAYS_SHAPE * (s[3] - s[1])]
    if len(tall) <= len(wide) * SIDEWAYS_RATIO:
        return None
    tall.sort(key=lambda s: (s[2] - s[0]) * (s[3] - s[1]), reverse=True)
    crops = [cv2.cvtColor(gray[int(y0):int(y1) + 1, int(x0):int(x1) + 1], cv2.COLOR_GRAY2BGR)
             for x0, y0, x1, y1 in tall[:SIDEWAYS_SAMPLE]]

    def sureness(turn: int) -> float:
        return float(np.mean(read_lines([cv2.rotate(crop, turn) for crop in crops])))
    return max((cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE), key=sureness)


def read_lines(crops: list) -> list[float]:
    """The recognizer's confidence in each of some text line images (no detection)."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    return list(engine()._load_rec_model()(TextRecInput(img=crops)).scores)


def page_chars(result, scale: float) -> tuple[list[dict], list]:
    """The page's text as PDF-reader chars (one per OCR character box, with its confidence) and
    the text lines' boxes (pixel corners)."""
    if result.boxes is None:
        return [], []
    chars = []
    for box, words in zip(result.boxes, result.word_results, strict=True):
        xs, ys = box[:, 0], box[:, 1]
        size = min(xs.max() - xs.min(), ys.max() - ys.min()) / scale * CHAR_SIZE_SHARE
        line = [ocr_char(text, float(conf), corners, size, scale) for text, conf, corners in words if text.strip()]
        chars += closed_up(line)
    return chars, list(result.boxes)


def unread_ink(gray, boxes: list, scale: float) -> list[tuple[float, float, float, float]]:
    """Boxes (points) of ink that lies outside every text box and off the ruling lines, big
    enough to be a mark rather than a speck (the median filter takes the scan's noise)."""
    import cv2
    import numpy as np

    binary = cv2.threshold(cv2.medianBlur(gray, 3), 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    length = max(3, int(RULE_MIN_PT * scale))
    rules = np.zeros_like(binary)
    for kernel in ((length, 1), (1, length)):
        rules |= cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    binary &= ~cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    cv2.fillPoly(binary, [np.asarray(box, np.int32) for box in boxes], 0)
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary)
    least = UNREAD_MIN_PT * scale
    return [(x / scale, y / scale, (x + w) / scale, (y + h) / scale)
            for x, y, w, h, _ in stats[1:count] if max(w, h) >= least]


def doubt_unread_ink(chars: list[dict], marks: list[tuple[float, float, float, float]]) -> None:
    """The character nearest each unread mark (within UNREAD_NEAR of its size) becomes unsure; a
    mark near none (a figure OCR did not read at all) becomes a character without text, so the
    cell it lies in is known to hold ink that was not read."""
    for mark in marks:
        near = min(chars, key=lambda char: gap(char, mark), default=None)
        if near is not None and gap(near, mark) <= near["size"] * UNREAD_NEAR:
            near["conf"] = min(near["conf"], UNREAD_CONF)
        else:
            chars.append(unread_char(mark))


def unread_char(mark: tuple[float, float, float, float]) -> dict:
    """Ink OCR did not read, as a character without text (``pdf.ocr_marks`` counts it)."""
    x0, top, x1, bottom = mark
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "text": "", "size": bottom - top, "upright": True,
            "matrix": UPRIGHT, "conf": UNREAD_CONF}


def gap(char: dict, box: tuple[float, float, float, float]) -> float:
    """How far a box lies from a character (points, across plus down; 0 where they touch)."""
    x0, top, x1, bottom = box
    return max(char["x0"] - x1, x0 - char["x1"], 0) + max(char["top"] - bottom, top - char["bottom"], 0)


def ocr_char(text: str, conf: float, corners, size: float, scale: float) -> dict:
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return {"x0": min(xs) / scale, "x1": max(xs) / scale, "top": min(ys) / scale, "bottom": max(ys) / scale,
            "text": text, "size": size, "upright": True, "matrix": UPRIGHT, "conf": round(conf, 4)}


def closed_up(line: list[dict]) -> list[dict]:
    """The characters of one OCR line, each reaching to the next on the same baseline: the boxes of
    narrow glyphs (`、`, `，`) leave gaps that are no spaces (OCR gives spaces as characters)."""
    for char, after in zip(line, line[1:], strict=False):
        if abs(after["top"] - char["top"]) < char["size"] * 0.5 and after["x0"] > char["x1"]:
            char["x1"] = after["x0"]
    return line


def ocr_page(pdf_data: bytes, number: int, dpi: int = OCR_DPI) -> OcrPage:
    """Page ``number`` (1-based) of a PDF, read by OCR (its image is dropped once read)."""
    gray, width, height = render_page(pdf_data, number, dpi)
    return OcrPage(gray, width, height)
