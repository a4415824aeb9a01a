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
	$(BIN)/ruff check generator tests bench

serve: $(BIN)/explainer
	$(BIN)/explainer serve

# The browser tests drive Debian's Chromium and run the Nu HTML Checker on Java; as root this
# installs both, otherwise it says how. CHROMIUM=/path/to/chrome uses another build.
CHROMIUM ?= /usr/bin/chromium
browser:
	@missing=""; \
	test -x $(CHROMIUM) || missing="chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "The browser tests need: sudo apt-get install $$missing" >&2; exit 1; \
	  fi; \
	fi

# axe-core and the Nu HTML Checker, pinned in package-lock.json. --ignore-scripts: vnu-jar's
# install script would download a Java runtime; the system's is used instead.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.test-deps browser node_modules/.installed
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m pytest

clean:
	rm -rf site .site.* $(VENV) node_modules test-artifacts
