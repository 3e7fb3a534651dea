"""Build a synthetic corpus from the two samples: other names, numbers and page breaks.

    python scripts/synth_corpus.py OUT_DIR N

Deterministic (seeded by file number). Used by `make bench` and by tests that need a corpus
of many distinct files.
"""
from __future__ import annotations

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


def build(out_dir: Path, n: int) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8-sig") for p in SAMPLES]
    paths = []
    for i in range(n):
        path = out_dir / f"{i // 100:03d}" / f"synthetic_{i:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(vary(texts[i % len(texts)], i), encoding="utf-8" if i % 3 else "gb18030")
        paths.append(path)
    return paths


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]))
