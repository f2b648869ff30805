# One command to serve the wiki, one to test it. Both create the virtual environment when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1:8000
# Material prints a banner about MkDocs 2 on every build: noise here.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-fast check lint bench lock clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# The maths engine (Temml) and its font (STIX Two Math), pinned by package-lock.json;
# Node.js and npm come from Debian's nodejs and npm.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install -y nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

## serve: build the wiki and serve it on http://127.0.0.1:8000/ (rebuilds on every save)
serve: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr $(HOST)

## build: build the site into site/ in strict mode, as CI does
build: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs build --strict

## test: every test: the core, the fences, real builds, and the site in headless Chromium (on both cores)
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n 2

## test-fast: the core and fence tests only (no real builds, no browser)
test-fast: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n 2 -m "not build and not browser"

## check: every check of the build on docs/ without building (python -m mathwiki check), then lint
check: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m mathwiki check docs/
	$(MAKE) lint

## lint: ruff (lint and format) on all code, mypy on the core
lint: $(STAMP)
	$(BIN)/ruff check mathwiki plots hooks tests benchmarks
	$(BIN)/ruff format --check mathwiki plots hooks tests benchmarks
	$(BIN)/mypy

## bench: every benchmark (slow; prints figures, asserts nothing)
bench: $(STAMP) $(NODE_STAMP)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

## lock: re-pin requirements.txt from requirements-dev.in
lock:
	rm -rf /tmp/mathwiki-lock && $(PYTHON) -m venv /tmp/mathwiki-lock
	/tmp/mathwiki-lock/bin/pip install --quiet -r requirements-dev.in
	(echo "# Pinned versions the test suite ran on (regenerate: make lock)."; /tmp/mathwiki-lock/bin/pip freeze) > requirements.txt

clean:
	rm -rf site .cache
