# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= demo-output

SHELL  := /bin/bash
# Prefect keeps its database where scr decides (PREFECT_HOME if you set it, else beside the board's data:
# for the demo, $(OUT)/prefect); the tests keep theirs under test-output/.
export PREFECT_SERVER_ANALYTICS_ENABLED = false

.PHONY: install demo test bench lint clean

# pip's own lines, less its noise: one line per package it fetches, then what it installed.
PIP_SAYS := { grep --line-buffered -E '^(Collecting|Installing collected|Successfully|ERROR|error)' || true; }

$(STAMP): pyproject.toml setup.py
	@echo "Installing scr and what it needs (Prefect, the Google client libraries, python-docx, the test tools)"
	@echo "into $(VENV): about 2 minutes on a new machine, a few seconds after that."
	$(PYTHON) -m venv $(VENV)
	set -o pipefail; $(PY) -m pip install --progress-bar off --upgrade pip 2>&1 | $(PIP_SAYS)
	set -o pipefail; $(PY) -m pip install --progress-bar off -e '.[test]' 2>&1 | $(PIP_SAYS)
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/scr demo --out $(OUT)

# Two test processes, a test file at a time each (TEST_WORKERS=0 runs the suite in this process alone): most of
# the suite's time is spent waiting on the servers and browsers its tests start, so two halve it on two cores.
TEST_WORKERS ?= 2
PYTEST_ARGS  ?= -n $(TEST_WORKERS) --dist loadfile
# The store's tests also run on a throwaway PostgreSQL (scripts/postgres.sh), stopped however pytest ends;
# the browser tests drive Debian's Chromium with axe-core from npm (scripts/browser.sh installs both).
test: $(STAMP)
	$(PY) -m ruff check scr flows tests benchmarks
	scripts/browser.sh
	mkdir -p test-output/prefect-home
	url="$$(scripts/postgres.sh)" || exit 1; \
	trap 'scripts/postgres.sh stop' EXIT; \
	PREFECT_HOME="$(CURDIR)/test-output/prefect-home" SCR_TEST_POSTGRES_URL="$$url" $(PY) -m pytest $(PYTEST_ARGS)

bench: export PREFECT_HOME = $(CURDIR)/test-output/bench-prefect-home
bench: export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS = 300
bench: $(STAMP)
	mkdir -p test-output/bench-prefect-home
	@echo "== Whole runs against a bare Prefect flow; consolidation and rendering (benchmarks/bench_pipeline.py)"
	$(PY) benchmarks/bench_pipeline.py
	@echo "== Requests to Google, against the loopback emulator (benchmarks/bench_google.py)"
	$(PY) benchmarks/bench_google.py
	@echo "== Invitations, and 1,000 reviews waiting at once (benchmarks/bench_waiting.py; about 2 minutes of set-up)"
	$(PY) benchmarks/bench_waiting.py
	@echo "== Writing emails: the email package against compose_bytes, one at a time against a round (benchmarks/bench_mail.py)"
	$(PY) benchmarks/bench_mail.py
	@echo "== What the Prefect UI gains per scheduled run with 21 reviews waiting (benchmarks/bench_artifacts.py)"
	$(PY) benchmarks/bench_artifacts.py

clean:
	rm -rf $(VENV) .prefect-home demo-output test-output dist tests/browser/node_modules
