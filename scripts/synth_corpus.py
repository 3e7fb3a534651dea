"""Build a synthetic corpus from the two samples: other names, numbers and page breaks.

    python scripts/synth_corpus.py OUT_DIR N [--pdf-every K]

Deterministic (seeded by file number). Every K-th file is a PDF with ruled tables, drawn from
the parse of its varied text by the test fixture renderer (tests/pdf_fixtures.py). Used by
`make bench`.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "raw").glob("0*.txt"))
COUNTIES = ["烈山区", "杜集区", "濉溪县", "乐至县", "资中县", "威远县", "仁寿县", "蒙城县", "涡阳县", "利辛县"]
UNITS = ["人大办公室", "财政局", "教育局", "卫生健康局", "农业农村局", "民政局"]
_DECIMAL = regex.compile(r"(?<![\d.])(\d{1,4})\.(\d{1,2})(?![\d.])")


def vary(text: str, n: int) -> str:
    """Another county's disclosure of the same template."""
    rng = random.Random(n)
    county, unit = rng.choice(COUNTIES), rng.choice(UNITS)
    text = text.replace("相山区", county).replace("安岳县", county)
    text = text.replace("人大办公室", unit) if rng.random() < 0.5 else text
    text = text.replace("2023", str(2019 + n % 5))
    bump = rng.randint(1, 9)
    text = _DECIMAL.sub(lambda m: f"{m[1]}.{int(m[2]) + bump:0{len(m[2])}d}"[: len(m[0]) + 1], text)
    return add_page_breaks(text, rng) if "\t" not in text[:2000] else text


def add_page_breaks(text: str, rng: random.Random) -> str:
    """Page numbers at other places than the sample's (flowing text only)."""
    lines = text.split("\n")
    for page, at in enumerate(sorted(rng.sample(range(len(lines)), k=min(40, len(lines) // 50))), start=1):
        lines[at] += f"\n\n- {page} -\n"
    return "\n".join(lines)


def as_pdf(text: str) -> bytes:
    """The text's forms drawn as a ruled PDF, the way county offices export them."""
    sys.path.insert(0, str(ROOT))
    from pipeline.ingest import detect_layout
    from pipeline.parse import parse_document
    from tests.pdf_fixtures import render_parsed

    return render_parsed(parse_document({"text": text, "format": "txt", "layout": detect_layout(text)}))


def build(out_dir: Path, n: int, pdf_every: int = 0) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8-sig") for p in SAMPLES]
    paths = []
    for i in range(n):
        is_pdf = bool(pdf_every) and i % pdf_every == pdf_every - 1
        text = vary(texts[(i // pdf_every if is_pdf else i) % len(texts)], i)
        path = out_dir / f"{i // 100:03d}" / f"synthetic_{i:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        if is_pdf:
            path = path.with_suffix(".pdf")
            path.write_bytes(as_pdf(text))
        else:
            path.write_text(text, encoding="utf-8" if i % 3 else "gb18030")
        paths.append(path)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--pdf-every", type=int, default=0)
    args = ap.parse_args()
    build(args.out, args.n, args.pdf_every)
