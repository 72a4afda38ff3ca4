# Quick start: `make demo` and `make test`. Both build .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/envledger: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: $(BIN)/envledger
	$(BIN)/envledger demo
	$(BIN)/envledger serve

test: $(BIN)/envledger
	bash scripts/install-system-deps.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

bench: $(BIN)/envledger
	$(BIN)/python benchmarks/bench_inventory.py

clean:
	rm -rf $(VENV) envledger.db .pytest_cache
