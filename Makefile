# Two-command set-up: `make extract` and `make test` create .venv on first use (and again when
# pyproject.toml changes), then do their work.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RAW    ?= raw/
OUT    ?= curated/

# Debian packages: a CJK font so the report's charts can print Chinese, LibreOffice (no GUI) to convert
# legacy .doc/.wps/.et files, and chromium for the test that renders the report headless. Installed
# when missing (as root, via apt-get); elsewhere, a warning.
REPORT_PACKAGES := fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui
TEST_PACKAGES   := $(REPORT_PACKAGES) chromium
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "warning: missing system packages:" $$missing "(Debian: sudo apt-get install" $$missing")" >&2; \
	fi
endef

.PHONY: extract test lint clean docs suites bench bench-batch system-deps-report system-deps-test

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,ocr]'
	touch $(STAMP)

system-deps-report:
	$(call apt_install,$(REPORT_PACKAGES))

system-deps-test:
	$(call apt_install,$(TEST_PACKAGES))

# extract, validate, summarize and status in one process (`jixiao run`): a stage whose inputs are
# unchanged is skipped, so an unchanged corpus costs one start-up and a look at the cache.
extract: $(STAMP) system-deps-report
	$(PY) -m pipeline run $(RAW) --out $(OUT)

lint: $(STAMP)
	$(PY) -m ruff check .

test: lint system-deps-test
	$(PY) -m pytest -q

clean:
	rm -rf $(OUT)*.parquet $(OUT)reports $(OUT).cache

docs: $(STAMP)
	$(PY) -m pipeline docs

# The Great Expectations suites in expectations/, generated from the rule declarations and rules.toml.
suites: $(STAMP)
	$(PY) -m pipeline suites

# Stage costs at 40 / 400 / 1,200 synthetic documents (files/s, CPU, peak RSS, marginal cost per
# document) and start-up; bench-batch: jobs speed-up and PDF pages/s of extract alone.
bench: $(STAMP)
	$(PY) scripts/bench_stages.py --sizes 40 400 1200

bench-batch: $(STAMP)
	$(PY) scripts/bench_batch.py --sizes 100 1000
