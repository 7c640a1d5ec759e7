# The one way to do things, for people and CI alike.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint migrate demo clean

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
	$(BIN)/python manage.py load_programme_demo

## make run: set everything up and serve the hub with demo data on 127.0.0.1:$(PORT)
run: demo
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "ASM Hub: http://127.0.0.1:$(PORT)/"
	@echo "Admin:   http://127.0.0.1:$(PORT)/admin/  (local account: admin / asmhub-local-admin)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make test: lint, migration check, collectstatic and the whole pytest suite
test: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache
