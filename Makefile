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

# `make screenshots`: current pictures of the main views in docs/screenshots/ (shown in the README).
.PHONY: screenshots run test test-db db-driver test-compat test-tutor install migrate bench bench-ora2 bench-compare bench-load bench-reqcost redis course lint translations upgrade clean

# Every virtualenv installs pinned files only (requirements/*.txt, compiled from the *.in files by `make upgrade`):
# pip.txt first (the installers themselves), then the environment's own file, then our package without deps.
REQ := requirements
PIP_COMPILE_FLAGS := --quiet --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe --rebuild

$(STAMP): setup.py $(REQ)/base.in $(REQ)/pip.txt $(REQ)/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet -r $(REQ)/pip.txt
	$(PIP) install --quiet -r $(REQ)/dev.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

migrate: install var
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/django-admin migrate --run-syncdb --noinput

run: migrate
	@echo "Workbench: http://$(HOST):$(PORT)/  (add ?student=<id> to switch learner; ?student=staff is staff;"
	@echo "           ?lang=fr or ?lang=es shows the blocks in French or Spanish, ?lang=en back in English)"
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(VENV)/bin/django-admin runserver $(HOST):$(PORT)

test: install var
	$(PY) -m pytest $(PYTEST_ARGS)

# The tests marked `db` on a server: `make test-db SSE_DB=postgresql` or `SSE_DB=mariadb` (see docs/operations.md).
test-db: install var db-driver
	@case "$(SSE_DB)" in postgresql|mariadb) ;; *) echo "make test-db: set SSE_DB=postgresql or SSE_DB=mariadb" >&2; exit 2;; esac
	SSE_DB=$(SSE_DB) $(PY) -m pytest -m db $(PYTEST_ARGS)

# The MariaDB/MySQL driver, when SSE_DB=mariadb asks for it (test-db, bench, bench-load).
db-driver: install
	@if [ "$(SSE_DB)" = mariadb ] && ! $(PY) -c "import MySQLdb" 2>/dev/null; then \
	  $(PIP) install --quiet -r $(REQ)/mariadb.txt || { echo "mysqlclient did not build: apt-get install libmariadb-dev pkg-config" >&2; exit 1; }; fi

# The unit and block tests on the oldest supported stack (Django 4.2, XBlock 5.x): requirements/compat.in.
test-compat: var
	test -x $(COMPAT_VENV)/bin/python || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet -r $(REQ)/pip.txt
	$(COMPAT_VENV)/bin/python -m pip install --quiet -r $(REQ)/compat.txt
	$(COMPAT_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(COMPAT_VENV)/bin/python -c "import django, xblock; print('Django', django.get_version(), '/ XBlock', xblock.__version__)"
	$(COMPAT_VENV)/bin/python -m pytest -p no:cacheprovider tests/unit tests/blocks $(PYTEST_ARGS)

# The Tutor plugin with the real `tutor` of Tutor 21 and 22, each in a throwaway venv (needs PyPI; part of `make test`).
test-tutor: install var
	$(PY) -m pytest tests/packaging/test_tutor_plugin.py $(PYTEST_ARGS)

bench: install var db-driver
	$(PY) -m bench $(BENCH_ARGS)

# ORA2's peer allocation and whole peer flow on the same database and pool sizes, in its own virtual
# environment (ORA2 is not a dependency of this package); `make bench` then prints both and the ratios.
ORA2_VENV ?= .venv-ora2
bench-ora2: var
	test -x $(ORA2_VENV)/bin/python || $(PYTHON) -m venv $(ORA2_VENV)
	$(ORA2_VENV)/bin/python -c "import openassessment" 2>/dev/null || { \
	  $(ORA2_VENV)/bin/python -m pip install --quiet -r $(REQ)/pip.txt && \
	  $(ORA2_VENV)/bin/python -m pip install --quiet -r $(REQ)/ora2.txt; }
	@if [ "$(SSE_DB)" = mariadb ] && ! $(ORA2_VENV)/bin/python -c "import MySQLdb" 2>/dev/null; then \
	  $(ORA2_VENV)/bin/python -m pip install --quiet -r $(REQ)/mariadb.txt; fi
	$(ORA2_VENV)/bin/python -m bench.ora2 $(BENCH_ARGS)

# Both, ORA2 first: the comparison table at the end of `make bench`.
bench-compare: bench-ora2 bench

# The multi-process load run: gunicorn with 2 worker processes serving the workbench on PostgreSQL (SSE_DB, a
# database of its own) with a shared Redis cache; 100 simulated learners for 60 s over HTTP (bench/load.py). The
# workbench reads fields and asides as an LMS does (bench/runtime_as_lms.py); LOAD_ARGS="--sdk-runtime" as it is.
# redis-server (Debian's package) is started when nothing answers on 6379. LOAD_ARGS="--seconds 10" shortens it.
REDIS_PORT ?= 6379
bench-load: export SSE_DB := $(or $(SSE_DB),postgresql)
bench-load: install var db-driver redis
	@$(PY) -c "import gunicorn, redis" 2>/dev/null || $(PIP) install --quiet -r $(REQ)/load.txt
	$(PY) -m bench.load $(LOAD_ARGS)

# Where one request's worker time goes (runtime, our code, database), per request type of the load course: one
# process, the load settings, PostgreSQL and Redis (bench/reqcost.py; REQCOST_ARGS="--repeat 100").
bench-reqcost: export SSE_DB := $(or $(SSE_DB),postgresql)
bench-reqcost: install var db-driver redis
	@$(PY) -c "import redis" 2>/dev/null || $(PIP) install --quiet -r $(REQ)/load.txt
	$(PY) -m bench.reqcost $(REQCOST_ARGS)

# Redis on loopback (the cache of `make bench-load` and of the cross-process cache test), started if down.
redis:
	@redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server" >&2; exit 1; }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port $(REDIS_PORT) --save "" --appendonly no >/dev/null; \
	  for i in $$(seq 1 50); do redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping >/dev/null 2>&1 && exit 0; sleep 0.1; done; \
	  echo "redis-server did not start on port $(REDIS_PORT)" >&2; exit 1; }

course: install
	$(PY) -m sse_academy_xblock.curriculum.export --all

translations: install
	$(PY) -m sse_academy_xblock.i18n_tools extract
	$(PY) -m sse_academy_xblock.i18n_tools compile

# Recompile every pinned file from its .in to the newest versions the ranges and constraints allow. Each file
# is compiled against the one it builds on, so a package has the same pin in base, test and dev.
upgrade: export CUSTOM_COMPILE_COMMAND = make upgrade
upgrade: install
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o pip.txt pip.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o base.txt base.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -c base.txt -o test.txt test.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -c test.txt -o dev.txt dev.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o compat.txt compat.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o mariadb.txt mariadb.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o ora2.txt ora2.in
	cd $(REQ) && ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -c test.txt -o load.txt load.in
	cd $(REQ) && for f in tutor-ulmo tutor-verawood; do \
	  ../$(VENV)/bin/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o $$f.txt $$f.in || exit 1; done
	@echo "Pinned files updated: review 'git diff $(REQ)', run make test, commit."

clean:
	rm -rf $(VENV) $(COMPAT_VENV) $(ORA2_VENV) var build dist *.egg-info course.tar.gz course-*.tar.gz

screenshots: install var
	SSE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -p no:cacheprovider tests/browser/test_screenshots.py $(PYTEST_ARGS)
