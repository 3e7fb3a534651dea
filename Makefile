# Two-command set-up: `make extract` and `make test` create .venv on first use (and again when
# pyproject.toml changes), then do their work.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RAW    ?= raw/
OUT    ?= curated/

.PHONY: extract test lint clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

extract: $(STAMP)
	$(PY) -m pipeline extract $(RAW) --out $(OUT)
	$(PY) -m pipeline validate $(OUT)

lint: $(STAMP)
	$(PY) -m ruff check .

test: lint
	$(PY) -m pytest -q

clean:
	rm -rf $(OUT)*.parquet $(OUT)reports
