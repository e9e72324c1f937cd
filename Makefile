# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= demo-output

export PREFECT_HOME ?= $(CURDIR)/.prefect-home
export PREFECT_SERVER_ANALYTICS_ENABLED = false

.PHONY: install demo test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/scr demo --out $(OUT)

# The store's tests also run on a throwaway PostgreSQL (scripts/postgres.sh), stopped however pytest ends;
# the browser tests drive Debian's Chromium with axe-core from npm (scripts/browser.sh installs both).
test: $(STAMP)
	$(PY) -m ruff check scr flows tests benchmarks
	scripts/browser.sh
	url="$$(scripts/postgres.sh)" || exit 1; \
	trap 'scripts/postgres.sh stop' EXIT; \
	SCR_TEST_POSTGRES_URL="$$url" $(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench_pipeline.py
	$(PY) benchmarks/bench_google.py
	$(PY) benchmarks/bench_waiting.py

clean:
	rm -rf $(VENV) .prefect-home demo-output test-output tests/browser/node_modules
