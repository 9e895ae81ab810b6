# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Both build .venv from pyproject.toml on first use (and again when it changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 9200

# The contract tests also need the Node.js client and the 9.x Python client, which
# cannot share .venv with the 8.12 client.
NODE_DIR := tests/contract/node
NODE_STAMP := $(NODE_DIR)/node_modules/.installed
ES9_VENV := .venv-es9
ES9_STAMP := $(ES9_VENV)/.installed

.PHONY: serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

$(ES9_STAMP):
	$(PYTHON) -m venv $(ES9_VENV)
	$(ES9_VENV)/bin/python -m pip install --quiet 'elasticsearch>=9,<10'
	touch $(ES9_STAMP)

serve: $(STAMP)
	$(BIN)/fake-es --host $(HOST) --port $(PORT)

test: $(STAMP) $(NODE_STAMP) $(ES9_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check fake_es tests conftest_plugin.py
	$(BIN)/ruff format --check fake_es tests conftest_plugin.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(ES9_VENV) $(NODE_DIR)/node_modules build dist .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP)
	$(BIN)/python bench/run.py
