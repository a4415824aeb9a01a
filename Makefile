# The README's commands. `make build` and `make test` set everything up on first use.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: build test check lint serve browser lock upgrade clean

# Every package comes from uv.lock at the version and with the hashes it records, runtime and
# test tools alike. --locked: a pyproject.toml that no longer matches the lock stops the
# install (run `make lock`); --inexact: pip and uv, which installed this, stay in the venv.
SYNC := UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --locked --inexact --quiet

# uv, the version uv.lock holds, checked by pip against the lock's hashes for its wheels.
$(BIN)/uv: uv.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python .ci/uv_requirement.py uv.lock > $(VENV)/uv-requirement.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	touch $@

$(BIN)/explainer: pyproject.toml uv.lock $(BIN)/uv
	$(SYNC)
	touch $@

$(VENV)/.test-deps: $(BIN)/explainer
	$(SYNC) --extra test
	touch $@

# After editing the dependencies in pyproject.toml: the lock follows, other versions stay.
lock: $(BIN)/uv
	$(BIN)/uv lock

# Every package (uv included) to the newest release pyproject.toml allows.
upgrade: $(BIN)/uv
	$(BIN)/uv lock --upgrade

build: $(BIN)/explainer
	$(BIN)/explainer build

check: $(BIN)/explainer
	$(BIN)/explainer check

lint: $(VENV)/.test-deps
	$(BIN)/ruff check generator tests bench .ci
	$(BIN)/python .ci/function_length.py generator

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
	$(BIN)/ruff check generator tests bench .ci
	$(BIN)/python .ci/function_length.py generator
	$(BIN)/python -m pytest

clean:
	rm -rf site .site.* $(VENV) node_modules test-artifacts
