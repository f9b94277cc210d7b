# Two commands a new user needs:  make demo   and   make test
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install browser clean accuracy throughput

$(BIN)/allegiance: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/allegiance

install: $(BIN)/allegiance

## demo: create the environment, install, code the bundled example corpus into ./allegiance.duckdb
demo: install
	$(BIN)/allegiance run

## browser: Debian's Chromium for the web UI tests (Playwright drives it; nothing is downloaded by Playwright)
browser:
	@test -x /usr/bin/chromium || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium > /dev/null)

## test: the full test suite (what CI runs)
test: install browser
	$(BIN)/python -m pytest

accuracy: install
	$(BIN)/python benchmarks/accuracy.py

throughput: install
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) allegiance.duckdb
