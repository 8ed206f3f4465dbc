# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
SETTINGS ?= sse_academy_xblock.settings.workbench
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

COMPAT_VENV ?= .venv-compat

.PHONY: run test test-db test-compat install migrate bench bench-ora2 bench-compare bench-load course lint translations clean

$(STAMP): setup.py requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

migrate: install var
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/django-admin migrate --run-syncdb --noinput

run: migrate
	@echo "Workbench: http://$(HOST):$(PORT)/  (add ?student=<id> to switch learner; ?student=staff is staff)"
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/django-admin runserver $(HOST):$(PORT)

test: install var
	$(PY) -m pytest $(PYTEST_ARGS)

# The tests marked `db` on a server: `make test-db SSE_DB=postgresql` or `SSE_DB=mariadb` (see docs/operations.md).
test-db: install var
	@case "$(SSE_DB)" in postgresql|mariadb) ;; *) echo "make test-db: set SSE_DB=postgresql or SSE_DB=mariadb" >&2; exit 2;; esac
	@if [ "$(SSE_DB)" = mariadb ] && ! $(PY) -c "import MySQLdb" 2>/dev/null; then \
	  $(PIP) install --quiet -r requirements-mariadb.txt || { echo "mysqlclient did not build: apt-get install libmariadb-dev pkg-config" >&2; exit 1; }; fi
	SSE_DB=$(SSE_DB) $(PY) -m pytest -m db $(PYTEST_ARGS)

# The unit and block tests on the oldest supported stack (Django 4.2, XBlock 5.x): see requirements-compat.txt.
test-compat: var
	test -x $(COMPAT_VENV)/bin/python || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet -r requirements.txt -c requirements-compat.txt
	$(COMPAT_VENV)/bin/python -m pip install --quiet --no-deps -e .
	$(COMPAT_VENV)/bin/python -c "import django, xblock; print('Django', django.get_version(), '/ XBlock', xblock.__version__)"
	$(COMPAT_VENV)/bin/python -m pytest -p no:cacheprovider tests/unit tests/blocks $(PYTEST_ARGS)

bench: install var
	$(PY) -m bench $(BENCH_ARGS)

# ORA2's peer allocation on the same database and pool sizes, in its own virtual environment (ORA2
# is not a dependency of this package); `make bench` then prints both and the ratios.
ORA2_VENV ?= .venv-ora2
ORA2_VERSION ?= 7.1.1
bench-ora2: var
	test -x $(ORA2_VENV)/bin/python || $(PYTHON) -m venv $(ORA2_VENV)
	$(ORA2_VENV)/bin/python -c "import openassessment" 2>/dev/null || \
	  $(ORA2_VENV)/bin/python -m pip install --quiet "ora2==$(ORA2_VERSION)" "psycopg[binary]>=3.1"
	@if [ "$(SSE_DB)" = mariadb ] && ! $(ORA2_VENV)/bin/python -c "import MySQLdb" 2>/dev/null; then \
	  $(ORA2_VENV)/bin/python -m pip install --quiet -r requirements-mariadb.txt; fi
	$(ORA2_VENV)/bin/python -m bench.ora2 $(BENCH_ARGS)

# Both, ORA2 first: the comparison table at the end of `make bench`.
bench-compare: bench-ora2 bench

# 50 threads of learners against the handlers for 30 s (needs a server database: SSE_DB=postgresql).
bench-load: install var
	$(PY) -m bench.load $(LOAD_ARGS)

course: install
	$(PY) -m sse_academy_xblock.curriculum.export course.tar.gz

translations: install
	$(PY) -m sse_academy_xblock.i18n_tools extract
	$(PY) -m sse_academy_xblock.i18n_tools compile

clean:
	rm -rf $(VENV) $(COMPAT_VENV) $(ORA2_VENV) var build dist *.egg-info course.tar.gz
