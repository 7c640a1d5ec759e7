# The one way to do things, for people and CI alike.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint migrate demo clean serve bench loadtest

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty --with-local-admin

## make run: set everything up and serve the hub with demo data on 127.0.0.1:$(PORT)
run: demo
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "ASM Hub: http://127.0.0.1:$(PORT)/"
	@echo "Admin:   http://127.0.0.1:$(PORT)/admin/  (local account: admin / asmhub-local-admin)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make serve: production-like serving with gunicorn (settings in gunicorn.conf.py)
serve: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:$(PORT)} $(BIN)/gunicorn asmhub.wsgi -c gunicorn.conf.py

# Benchmarks run on PostgreSQL (BENCH_DATABASE_URL) with BENCH_N synthetic resources.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/asmhub_bench
BENCH_N ?= 100000
BENCH_REPEAT ?= 30
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench-only \
	DJANGO_ALLOWED_HOSTS=testserver,127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_SECURE_COOKIES=false DJANGO_LOG_LEVEL=WARNING

## make bench: seed BENCH_N resources if needed, then time every page state (table + JSON)
bench: $(STAMP)
	$(BENCH_ENV) $(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py seed_bench --resources $(BENCH_N) --if-needed
	$(BENCH_ENV) $(BIN)/python manage.py bench --repeat $(BENCH_REPEAT) --json var/bench.json

## make loadtest: gunicorn + wrk, 50 connections, 60 s, on the benchmark database
loadtest: $(STAMP)
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) scripts/loadtest.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make test: lint, migration check, collectstatic and the whole pytest suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache
