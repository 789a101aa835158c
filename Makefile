# One entry point. A newcomer needs only Python 3.11: `make run`, then `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The address links in feeds and e-mails point to; the environment's wins (a tunnel, a deployed host).
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install run test lint format ci demo bench bench-scale10 bench-workspaces loadtest clean-var

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end packages from the npm registry, exactly as package-lock.json pins them (npm comes in a wheel).
node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	$(PY) scripts/npm.py ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "  Social media workspace: http://127.0.0.1:$(PORT)/  (log in as admin@demo.test / demo)"
	@echo "  Web, Celery worker and Celery beat start below; Ctrl-C stops all three."
	@echo ""
	PORT=$(PORT) SITE_URL=$(SITE_URL) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

test: install
	$(VENV)/bin/pytest -n 2

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ci:
	bash .ci/run

# The benchmark builds "Bench Brand" at scale 1 (see bench/README.md); point DATABASE_URL at PostgreSQL for real figures.
bench: install
	$(PY) manage.py bench --scale 1 --requests 30 --ingest 1000 --json bench/results/scale-1.json

# Scale 10, then the two result files compared (a warning for any page whose query count differs).
bench-scale10: install
	$(PY) manage.py bench --scale 10 --requests 10 --json bench/results/scale-10.json
	$(PY) manage.py bench --compare bench/results/scale-1.json bench/results/scale-10.json

# Bench Brand and 99 copies of it in the same database (PostgreSQL only), then the pages of the first.
bench-workspaces: install
	$(PY) manage.py bench --scale 1 --workspaces 100 --requests 15 --json bench/results/scale-1-workspaces-100.json

# A bounded load test on loopback: gunicorn, 50 connections for 60 s (needs PostgreSQL, Redis and Debian's wrk).
loadtest: install
	PYTHON=$(PY) bench/loadtest.sh

clean-var:
	rm -rf var/db.sqlite3 var/celery
