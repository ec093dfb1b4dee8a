# The two jobs a new user wants: `make` (check, score and build on the example ledger) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all check score test lint bench bench-site build deps-system clean

all: check score build

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

check: $(STAMP)
	$(VENV)/bin/kpi check ledger

score: $(STAMP)
	$(VENV)/bin/kpi score --ledger ledger

# The browser test needs Debian's chromium (and a CJK font for readable screenshots); install
# them when missing and we are root (CI). Playwright never downloads a browser here.
deps-system:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto.*cjk'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-microhei; \
	  else \
	    echo "chromium missing: run 'sudo apt-get install -y chromium fonts-wqy-microhei'"; \
	  fi; \
	fi

# axe-core (the accessibility check in tests/test_browser.py) from the npm registry, pinned by
# tests/axe/package-lock.json; nothing is fetched at test time.
AXE := tests/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	npm ci --prefix tests/axe --no-audit --no-fund

test: $(STAMP) deps-system $(AXE)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts

bench: $(STAMP)
	$(PY) scripts/bench_check.py --people 1000 --months 24

bench-site: $(STAMP)
	$(PY) scripts/bench_site.py --people 1000 --months 24

build: $(STAMP)
	$(VENV)/bin/kpi build

clean:
	rm -rf $(VENV) .kpi-cache build public
