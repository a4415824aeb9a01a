# The README's commands. `make build` and `make test` set everything up on first use.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: build test check lint clean

$(BIN)/explainer: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.test-deps: $(BIN)/explainer
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

build: $(BIN)/explainer
	$(BIN)/explainer build

check: $(BIN)/explainer
	$(BIN)/explainer check

lint: $(VENV)/.test-deps
	$(BIN)/ruff check generator tests

test: $(VENV)/.test-deps
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

clean:
	rm -rf site .site.* $(VENV)
