# The two quick-start commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
FLASK = $(BIN)/flask --app wsgi

.PHONY: setup run test bench lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run

lint: setup
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench
