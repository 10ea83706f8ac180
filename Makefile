# newsweave: `make demo` sets up and runs the demo; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint typecheck quality check

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/newsweave demo

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks quality
	$(BIN)/ruff format --check src tests benchmarks quality

typecheck: setup
	$(BIN)/mypy

quality: setup
	$(BIN)/python quality/gate.py --cli $(BIN)/newsweave

check: lint typecheck quality
