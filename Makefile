# The two jobs a new user wants: `make` (check, score and build on the example ledger) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all check score test lint bench clean

all: check score

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

check: $(STAMP)
	$(VENV)/bin/kpi check ledger

score: $(STAMP)
	$(VENV)/bin/kpi score --ledger ledger

test: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts

bench: $(STAMP)
	$(PY) scripts/bench_check.py --people 1000 --months 24

clean:
	rm -rf $(VENV) .kpi-cache build public
