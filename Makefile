# The one way to do things, for people and CI alike.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=
# `make test` runs the suite in this many processes, each with its own test database and
# browser (pytest-xdist): one per core, at most four. PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= auto

.PHONY: catalogues messages install run serve cluster test test-cluster bench bench-downloads loadtest lint migrate demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The interface's translations: locale/<code>/LC_MESSAGES/django.po, compiled to .mo
# (not kept in git) whenever a catalogue changes.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

catalogues: $(CATALOGUES)

## make messages: refresh the catalogues from the code and templates (then translate them)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests --ignore='*/migrations/*'

migrate: $(STAMP) catalogues
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty --with-local-admin
	$(BIN)/python manage.py load_programme_demo

## make run: set everything up and serve the hub with demo data on 127.0.0.1:$(PORT)
run: demo
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "ASM Hub: http://127.0.0.1:$(PORT)/"
	@echo "Admin:   http://127.0.0.1:$(PORT)/admin/  (local account: admin / asmhub-local-admin)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make serve: production serving with gunicorn (gunicorn.conf.py), DJANGO_DEBUG off.
## Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see docs/deploy.md).
serve: $(STAMP) catalogues
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=false $(BIN)/gunicorn -c gunicorn.conf.py asmhub.wsgi

## make cluster: two app servers over one PostgreSQL, SeaweedFS and Redis, all on
## loopback, with the demo data; Ctrl-C stops everything (tests/cluster/servers.py).
cluster: $(STAMP) catalogues
	$(BIN)/python -m tests.cluster.servers

## make test-cluster: the multi-server, fault and backup tests against real servers
test-cluster: $(STAMP) catalogues
	$(BIN)/pytest -m cluster $(PYTEST_ARGS)

## make bench-downloads: throughput of pages and downloads (streamed and signed-URL) on a cluster
bench-downloads: $(STAMP)
	$(BIN)/python -m tests.cluster.bench

# Benchmarks run on PostgreSQL (BENCH_DATABASE_URL) with BENCH_N synthetic resources.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/asmhub_bench
BENCH_N ?= 100000
BENCH_REPEAT ?= 30
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench-only \
	DJANGO_ALLOWED_HOSTS=testserver,127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_SECURE_COOKIES=false DJANGO_LOG_LEVEL=WARNING

## make bench: seed BENCH_N resources if needed, then time every page state (table + JSON)
bench: $(STAMP) catalogues
	$(BIN)/python scripts/ensure_database.py $(BENCH_DATABASE_URL)
	$(BENCH_ENV) $(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py seed_bench --resources $(BENCH_N) --if-needed
	$(BENCH_ENV) $(BIN)/python manage.py bench --repeat $(BENCH_REPEAT) --json var/bench.json

## make loadtest: gunicorn + wrk, 50 connections, 60 s, on the benchmark database
loadtest: $(STAMP) catalogues
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) scripts/loadtest.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

## make test: lint, import contracts, migration check, collectstatic and the whole pytest suite
test: $(STAMP) catalogues
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/pytest --numprocesses $(PYTEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache
