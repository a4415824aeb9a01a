# The README's commands. `make build` and `make test` set everything up on first use.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: build test check lint serve browser clean

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

serve: $(BIN)/explainer
	$(BIN)/explainer serve

# Browser tests drive Debian's Chromium; as root this installs it, otherwise it says how.
# CHROMIUM=/path/to/chrome uses another build instead.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's Chromium: sudo apt-get install chromium" >&2; \
	    exit 1; \
	  fi; }

test: $(VENV)/.test-deps browser
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

clean:
	rm -rf site .site.* $(VENV)
