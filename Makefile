# Two commands matter: `make run` (serve the portal with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format worker beat clean

$(VENV)/.run-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

## Serve the portal at http://127.0.0.1:$(PORT) on SQLite with tasks run eagerly.
run: $(VENV)/.run-installed
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py loaddemo
	DEBUG=$${DEBUG:-1} PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite. Uses DATABASE_URL / REDIS_URL when set.
test: $(VENV)/.dev-installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Production shape: a worker and the beat scheduler (needs REDIS_URL).
worker: $(VENV)/.run-installed
	$(VENV)/bin/celery -A portal worker --loglevel=INFO

beat: $(VENV)/.run-installed
	$(VENV)/bin/celery -A portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache staticfiles db.sqlite3
