# make run   — install, migrate, load built-in data and demo data, serve on :8000
#              (PORT=8001 make run for another port)
# make test  — install and run the whole suite (lint, migrations check, pytest)
# make bench — comparison benchmark (see README)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: install run serve data test lint browser bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

# A random SECRET_KEY, made once and kept out of git: settings.py reads it when
# SECRET_KEY is unset, so no checkout runs with a key anyone knows.
.secret_key:
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@

install: $(STAMP) .secret_key

data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_builtin_data
	$(BIN)/python manage.py seed_demo

# A real server (DEBUG off, as in production) reached over plain http on this
# machine: only that differs from production - no redirect to https, cookies
# without the Secure flag.
LOCAL_HTTP := SECURE_SSL_REDIRECT=false SECURE_COOKIES=false

# Links in emails (password reset) point at the port served, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: data
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the background worker)"
	$(BIN)/python manage.py run_worker & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(LOCAL_HTTP) $(BIN)/gunicorn scorecards.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
	    --graceful-timeout 5

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The page tests drive Debian's Chromium; install it when we can (as root).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
	  echo "chromium is missing: the browser tests will fail (apt-get install chromium)"

test: lint browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-* test-artifacts .cache
