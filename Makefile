# RusToK — `make run` starts the platform with a demo tenant, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run stop shell test lint format bench clean help browser

help:
	@echo "make run    start the platform (web + worker) with the demo tenant at http://demo.localhost:8000/"
	@echo "make stop   stop a running make run and the embedded servers it started"
	@echo "make shell  a Django shell on the demo tenant's schema, on the servers of make run"
	@echo "make test   run the test suite against PostgreSQL and Redis"
	@echo "make lint   ruff check and format check"
	@echo "make bench  the platform over HTTP (gunicorn + wrk) against a bare Django view: ONLY=blog-index,"
	@echo "            QUICK=1, WORKER_CLASS=gthread; ALL=1 adds the in-process and tenant benchmarks"

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3.x (3.11-3.13)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,local]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python deploy/local.py

# Both read .rustok/env, the record make run writes of its servers.
stop: $(STAMP)
	$(BIN)/python deploy/local.py stop

shell: $(STAMP)
	$(BIN)/python manage.py tenant_command shell --schema=demo

# Browser tests run Debian's chromium; it is installed from Debian's packages when missing.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core

browser: $(CHROMIUM)

# The HTTP benchmark loads the platform with Debian's wrk, installed when missing (the tests of
# the benchmark's wrk scripts run it too).
WRK ?= /usr/bin/wrk
$(WRK):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk

# One test process per core (pytest-xdist); each has its own test database and Redis keys.
PYTEST_ARGS ?= -n auto
test: $(STAMP) $(CHROMIUM) $(WRK)
	CHROMIUM=$(CHROMIUM) WRK=$(WRK) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .rustok staticfiles .pytest_cache

# make bench: every row over HTTP (about 7 minutes on 2 cores); ONLY=blog-index (row slugs,
# comma-separated) and QUICK=1 (one short round) for a quick look; WORKER_CLASS=gthread;
# ALL=1 adds the in-process request path, tenant creation (TENANTS=100), the catalogue's import
# (IMPORT_PRODUCTS=10000) and the rebuild of the product documents of a large catalogue
# (PRODUCTS=50000: 100,000 documents).
BENCH_ARGS = $(if $(ONLY),--only $(ONLY)) $(if $(QUICK),--quick) $(if $(WORKER_CLASS),--worker-class $(WORKER_CLASS))
bench: $(STAMP) $(WRK)
	$(BIN)/python benchmarks/serving.py $(BENCH_ARGS)
	$(if $(ALL),$(BIN)/python benchmarks/request_path.py)
	$(if $(ALL),$(BIN)/python benchmarks/tenants.py --tenants $(or $(TENANTS),100))
	$(if $(ALL),$(BIN)/python benchmarks/catalog_index.py --products $(or $(PRODUCTS),50000))
	$(if $(ALL),$(BIN)/python benchmarks/catalog_import.py --products $(or $(IMPORT_PRODUCTS),10000))
