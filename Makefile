# Two commands for a fresh machine: `make serve` and `make test` (README).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv install serve test lint format check bench clean clean-data cluster-test

# issue 12: a line per phase of the (slow, quiet) first install.
$(PY):
	@echo "==> creating the virtual environment $(VENV)"
	@$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	@echo "==> upgrading pip in $(VENV)"
	@$(PY) -m pip install --quiet --upgrade pip
	@echo "==> installing $$(grep -c '^[A-Za-z]' requirements.txt) runtime and $$(grep -c '^[A-Za-z]' requirements-dev.txt) dev packages with their dependencies (first time: a minute or two)"
	@$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)
	@echo "==> packages installed"

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

## The virtualenv, collected static files and caches. Keeps .data/ (database, secrets.env).
clean:
	rm -rf $(VENV) .data/staticfiles .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.data/*' -exec rm -rf {} +

## Delete .data/: the embedded PostgreSQL (every user, token and row) and secrets.env.
clean-data:
	@if [ -f .data/postgres/postmaster.pid ] && kill -0 "$$(head -1 .data/postgres/postmaster.pid)" 2>/dev/null; then \
		echo "the embedded PostgreSQL in .data/postgres is running: stop make serve (and the tests) first"; exit 1; fi
	@echo "deleting .data/: the embedded database and secrets.env (tokens issued so far stop working)"
	rm -rf .data

## issue 16: primary + hot standby, PgBouncer, nginx and 3 gunicorn nodes in network namespaces
## (root; installs the Debian packages it needs), a mixed load with faults, figures and checks.
cluster-test: $(STAMP)
	$(PY) cluster/run.py
