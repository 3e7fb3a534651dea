"""Template knowledge as data: one JSON file per kind of knowledge, read once."""
from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The data of ``parsers/templates/<name>.json``."""
    return json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8"))
