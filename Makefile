# One command to start the marketplace, one to test it. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format lock bench clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

## Start the web server, a Celery worker and Celery beat with demo data (embedded PostgreSQL and Redis
## unless DATABASE_URL / REDIS_URL are set).
run: $(STAMP)
	$(BIN)/python -m marketplace.devenv run

## The whole suite against real PostgreSQL and Redis, plus lint, migrations and OpenAPI checks.
test: $(STAMP)
	$(BIN)/python -m marketplace.devenv test $(ARGS)

## Benchmarks (print their figures; see the README for the last measured ones).
bench: $(STAMP)
	$(BIN)/python -m marketplace.devenv bench bench/catalogue_read.py
	$(BIN)/python -m marketplace.devenv bench bench/checkout.py
	$(BIN)/python -m marketplace.devenv bench bench/settlement.py
	$(BIN)/python -m marketplace.devenv bench bench/ratings.py
	$(BIN)/python -m marketplace.devenv bench bench/search.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Re-pin dependencies after editing pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV)
