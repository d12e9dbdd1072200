# «Наставник»: the two commands of the quick start, and the benchmark.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format check-deploy load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

# The app on the embedded SQLite database under var/, with demo data.
run: $(VENV)/.requirements
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole test suite; DATABASE_URL=postgres://… runs it on PostgreSQL.
test: $(VENV)/.requirements-dev
	$(BIN)/pytest

lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.requirements-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Large generated data in its own database; prints timings and query counts.
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
bench: $(VENV)/.requirements
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=1 $(BIN)/python manage.py bench $(BENCH_ARGS)

# Load test (not part of the tests): 50 users for 5 minutes over the production shape on PostgreSQL
# (nginx, gunicorn, the worker); needs nginx and PostgreSQL on 127.0.0.1:5432. See README «Load».
# Options: make load LOAD_USERS=20 LOAD_TIME=1m
LOAD_USERS ?= 50
LOAD_TIME ?= 5m
load: $(VENV)/.requirements-dev
	LOAD_USERS=$(LOAD_USERS) LOAD_TIME=$(LOAD_TIME) PY=$(BIN)/python deploy/load/run.sh
