# Quick start: `make demo` and `make test`. Both build .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint lock bench clean

# Pinned versions from the lock file, then envledger itself without re-resolving.
$(BIN)/envledger: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

demo: $(BIN)/envledger
	$(BIN)/envledger demo
	$(BIN)/envledger serve

test: $(BIN)/envledger
	bash scripts/install-system-deps.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

# New pins within pyproject.toml's ranges (needs the package index).
lock: $(BIN)/envledger
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 -q \
		-o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra postgres --universal \
		--python-version 3.11 -q -o requirements-dev.lock

bench: $(BIN)/envledger
	$(BIN)/python benchmarks/bench_inventory.py

clean:
	rm -rf $(VENV) envledger.db .pytest_cache
