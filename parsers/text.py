"""Small text helpers shared by recognizers: cleaning cells, matching header words."""
from __future__ import annotations

import unicodedata

import regex

_WHITESPACE = regex.compile(r"[\s\u3000\u00a0]+")
_WEIGHTED = regex.compile(r"^(?P<name>.*?)[(（]\s*(?P<w>\d+(?:\.\d+)?)\s*分?\s*[)）]?$")
_LABEL = regex.compile(r"^指标\s*\d+\s*[：:．.、]?\s*")
# `2023年`, `2023年度`, `（ 2021 年度）`: the fiscal year a title or line names (one reading everywhere).
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_PLACEHOLDER = regex.compile(r"^[…\.。·．⋯、\-—]*$")


def find_year(text: str | None) -> int | None:
    """The first year a text names (`2023年度` -> 2023), or None."""
    m = _YEAR.search(unicodedata.normalize("NFKC", text or ""))
    return int(m[1]) if m else None


def clean_cell(text: str | None) -> str | None:
    """Remove the whitespace that layout put into a cell (wrapping, padding, `按时  完成`),
    keeping one space only between two ASCII words; '' -> None."""
    if text is None:
        return None
    return _WHITESPACE.sub(_space_or_nothing, text).strip() or None


def _space_or_nothing(m: regex.Match) -> str:
    text, i, j = m.string, m.start(), m.end()
    between_words = 0 < i and j < len(text) and _is_ascii_word(text[i - 1]) and _is_ascii_word(text[j])
    return " " if between_words else ""


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def norm_key(text: str | None) -> str:
    """Header/label comparison key: NFKC, no whitespace."""
    if not text:
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split())


def split_weight(text: str | None) -> tuple[str | None, float | None]:
    """`产出指标(50分)` -> (`产出指标`, 50.0); a name without a weight -> (name, None)."""
    text = clean_cell(text)
    if text is None:
        return None, None
    key = "".join(text.split())
    m = _WEIGHTED.match(key)
    if m and m["name"]:
        return m["name"], float(m["w"])
    return text, None


WEIGHT_MARK = r"[(（]\s*(?P<w>\d+(?:\.\d+)?)\s*分\s*[)）]"   # `(5分)`, as a regex
_WEIGHT_MARK = regex.compile(WEIGHT_MARK)


def weight_marks(text: str | None) -> int:
    """How many `(N分)` a cell prints: a name carries one at most, a list of criteria several
    (`有相应的资金管理办法(1分)办法健全、规范(1分)`)."""
    return len(_WEIGHT_MARK.findall(text or ""))


def weight_label(text: str | None) -> float | None:
    """`(30分)` alone in a cell: a level's weight printed apart from its name, or whose name the
    page lost."""
    m = _WEIGHTED.match("".join((clean_cell(text) or "").split()))
    return float(m["w"]) if m and not m["name"] else None


def strip_label(text: str | None) -> str | None:
    """`指标1：召开会议次数` -> `召开会议次数`; `指标2：` -> None."""
    text = clean_cell(text)
    if text is None:
        return None
    return _LABEL.sub("", text).strip() or None


def is_placeholder(text: str | None) -> bool:
    """Template filler such as `……`."""
    return text is None or bool(_PLACEHOLDER.match(norm_key(text)))


def match_header(cell: str | None, synonyms: dict[str, tuple[str, ...]]) -> str | None:
    """The field whose synonym this header cell starts with (longest synonym wins), else the
    field of a synonym whose characters the cell holds in another order (``scrambled``).
    Remembered per synonym table: a page asks about the same words again and again."""
    key = norm_key(cell)
    if not key:
        return None
    known, answers = _HEADER_ANSWERS.setdefault(id(synonyms), (synonyms, {}))
    if known is not synonyms:   # another table now holds that id
        _HEADER_ANSWERS[id(synonyms)] = known, answers = synonyms, {}
    if key not in answers:
        if len(answers) >= MAX_REMEMBERED:
            answers.clear()
        answers[key] = header_field(key, synonyms)
    return answers[key]


_HEADER_ANSWERS: dict[int, tuple[dict, dict[str, str | None]]] = {}
MAX_REMEMBERED = 65536


def header_field(key: str, synonyms: dict[str, tuple[str, ...]]) -> str | None:
    best: tuple[int, str] | None = None
    for field, words in synonyms.items():
        for word in words:
            if key.startswith(word) and (best is None or len(word) > best[0]):
                best = (len(word), field)
    if best is None and key.startswith(HEADER_QUALIFIER) and len(key) > len(HEADER_QUALIFIER):
        return header_field(key[len(HEADER_QUALIFIER):], synonyms)   # `指标分值` is the 分值 column
    if best is None and len(key) <= MAX_SCRAMBLED_LEN:
        best = max(((len(w), f) for f, ws in synonyms.items() for w in ws if scrambled(key, w)), default=None)
    return best[1] if best else None


HEADER_QUALIFIER = "指标"


# OCR of a header cell wrapped on two lines reads the lines' characters interleaved (`全年完成值`
# -> `年成值全完值`). Only words long enough not to meet by chance, with at most one extra character.
MIN_SCRAMBLED_WORD, MAX_EXTRA_CHARS = 4, 1
MAX_SCRAMBLED_LEN = 12


def scrambled(key: str, word: str) -> bool:
    """``key`` holds every character of ``word`` (and at most one more), not in ``word``'s order."""
    if len(word) < MIN_SCRAMBLED_WORD or not 0 <= len(key) - len(word) <= MAX_EXTRA_CHARS:
        return False
    rest = list(key)
    for ch in word:
        if ch not in rest:
            return False
        rest.remove(ch)
    return True
