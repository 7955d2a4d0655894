# Two commands for a fresh machine: `make serve` and `make test` (README).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv install serve test lint format check bench clean cluster-test

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv install: $(STAMP)

## Migrate, seed and serve with gunicorn on $HOST:$PORT (default 127.0.0.1:8000).
serve: $(STAMP)
	ROUTES_TRUSTED_NETWORKS="$${ROUTES_TRUSTED_NETWORKS-127.0.0.0/8,::1/128}" \
	CORS_ALLOWED_ORIGINS="$${CORS_ALLOWED_ORIGINS-http://localhost:3000,http://127.0.0.1:3000}" \
	exec $(PY) manage.py serve

## The whole test suite on PostgreSQL (embedded unless DATABASE_URL is set).
test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## manage.py check, migrations complete, schema valid, deploy checks with production settings.
check: $(STAMP)
	$(PY) -m common.checks

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .data

## issue 16: primary + hot standby, PgBouncer, nginx and 3 gunicorn nodes in network namespaces
## (root; installs the Debian packages it needs), a mixed load with faults, figures and checks.
cluster-test: $(STAMP)
	$(PY) cluster/run.py
