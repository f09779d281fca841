# Loupe: `make demo` and `make test` work on a fresh clone (they create .venv on first use).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo chain-demo test lint bench clean system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# LibreOffice Calc recalculates our formulas in tests and prints sheets to PDF; pdftoppm
# (poppler-utils) turns those PDFs into the guide's pictures. Both from Debian packages.
system-deps:
	@command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || \
	  { echo "installing LibreOffice Calc (Debian packages)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null) \
	    || echo "warning: could not install LibreOffice; its tests will skip"; }
	@command -v pdftoppm >/dev/null 2>&1 || \
	  { echo "installing pdftoppm (Debian package poppler-utils)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null) \
	    || echo "warning: could not install poppler-utils; the guide's picture test will skip"; }

demo: $(STAMP)
	$(BIN)/python -m addin.demo
	@echo "run Loupe on it with $(BIN)/loupe (e.g. $(BIN)/loupe verify demo.xlsm), or . $(BIN)/activate first"

# The import contract and the linters first (a wrong-way import or an untyped core function
# fails fast), then the suite with branch coverage (printed per module; the core's in full, held
# at 95% or more).
# Three demo store books (two with closed years in archives) and their chain view.
chain-demo: $(STAMP)
	$(BIN)/loupe chain --demo stores --as-of 2025-12-31

test: $(STAMP) system-deps
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff check addin tests bench
	$(BIN)/mypy addin/core
	$(BIN)/python -m pytest --cov=addin --cov-branch --cov-report=term:skip-covered
	$(BIN)/coverage report --include='addin/core/*' --fail-under=95

lint: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff check addin tests bench
	$(BIN)/mypy addin/core

bench: $(STAMP)
	for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info .coverage .coverage.*
