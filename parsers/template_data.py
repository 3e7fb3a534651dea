"""Template knowledge kept as data: ``parsers/templates/<family>.toml``, read once (stdlib tomllib)."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def load_template(family: str) -> dict:
    """The parsed ``parsers/templates/<family>.toml``."""
    text = resources.files("parsers").joinpath("templates", f"{family}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
