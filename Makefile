# The two quick-start commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
FLASK = $(BIN)/flask --app wsgi

# Debian packages: the CJK TrueType font embedded in certificate PDFs, and what the
# tests use to look at pages and PDFs (a real browser, pdftoppm/pdftotext, zbarimg).
RUNTIME_DEBS = fonts-wqy-zenhei
TEST_DEBS = chromium poppler-utils zbar-tools
BENCH_DEBS = wrk

# Installs the packages of $(1) that are missing, when this user may (root with apt-get);
# otherwise says what to install.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1 || [ "$$(id -u)" -ne 0 ]; then \
	  echo "setup: please install the Debian packages:" $$missing >&2; exit 0; fi; \
	echo "setup: installing" $$missing; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null
endef

.PHONY: setup test-setup run test bench lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed
	$(call apt_install,$(RUNTIME_DEBS))

# axe-core (npm) is injected into pages by the browser tests to check accessibility.
AXE = tests/axe/node_modules/axe-core/axe.min.js

$(AXE): tests/axe/package.json
	npm install --prefix tests/axe --no-audit --no-fund --silent
	touch $@

test-setup: setup $(AXE)
	$(call apt_install,$(TEST_DEBS))

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo || echo "run: the demo data is incomplete (see above); serving anyway" >&2
	$(FLASK) run

# ruff (lint and format) and the one-way layers of pyproject.toml's import-linter contracts.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# PYTEST_ARGS: more for pytest, e.g. PYTEST_ARGS='-m "not browser"' (CI's second run).
test: lint test-setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(call apt_install,$(BENCH_DEBS))
	$(BIN)/python -m bench
