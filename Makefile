# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Both build .venv from pyproject.toml on first use (and again when it changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
# The suite runs on both cores; `make test PYTEST_ARGS=...` replaces this.
PYTEST_ARGS ?= -n 2
PORT ?= 9200

# The contract tests pair each official client with the releases it was made for:
# - .venv: elasticsearch 8.12 (as `elasticsearch`) and 8.19 (as `elasticsearch8`);
# - .venv-es8.15 and .venv-es9: the 8.15 and 9.x Python clients, which cannot share
#   an environment with those; each is pinned by a file in tests/contract/requirements;
# - tests/contract/node: the Node.js client 8.19 and 9.x, as npm aliases es8 and es9.
NODE_DIR := tests/contract/node
NODE_STAMP := $(NODE_DIR)/node_modules/.installed
CLIENT_REQUIREMENTS := tests/contract/requirements
ES815_VENV := .venv-es8.15
ES815_STAMP := $(ES815_VENV)/.installed
ES9_VENV := .venv-es9
ES9_STAMP := $(ES9_VENV)/.installed

# `make test` needs Node.js and npm: say so before building anything.
ifneq ($(filter test,$(MAKECMDGOALS)),)
ifeq ($(shell command -v npm 2>/dev/null),)
$(error npm not found: the contract tests run the official Node.js client. Install Node.js 20 or newer with npm (e.g. the nodejs and npm packages of your system), then run `make test` again)
endif
ifeq ($(shell command -v node 2>/dev/null),)
$(error node not found: the contract tests run the official Node.js client. Install Node.js 20 or newer with npm, then run `make test` again)
endif
endif

.PHONY: serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

# A client environment: rebuilt from scratch when its requirements file changes.
define client_venv
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	echo '*' > $(1)/.gitignore
	$(1)/bin/python -m pip install --quiet -r $(2)
	touch $(1)/.installed
endef

$(ES815_STAMP): $(CLIENT_REQUIREMENTS)/es8.15.txt
	$(call client_venv,$(ES815_VENV),$<)

$(ES9_STAMP): $(CLIENT_REQUIREMENTS)/es9.txt
	$(call client_venv,$(ES9_VENV),$<)

serve: $(STAMP)
	$(BIN)/fake-es --host $(HOST) --port $(PORT)

test: $(STAMP) $(NODE_STAMP) $(ES815_STAMP) $(ES9_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check fake_es tests bench conftest_plugin.py
	$(BIN)/ruff format --check fake_es tests bench conftest_plugin.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(ES815_VENV) $(ES9_VENV) $(NODE_DIR)/node_modules build dist .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP)
	$(BIN)/python bench/run.py
