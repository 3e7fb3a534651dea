"""The Great Expectations suites of the validate stage, one JSON file per rule family; a package
so that an installed jixiao ships them (see README.md here to tune or silence a rule)."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
