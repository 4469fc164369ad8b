# Two commands matter: `make run` (serve the portal with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format worker beat clean lock audit

# requirements*.txt are locks (every package pinned, with hashes), so pip checks each
# download against its hash. They are written by `make lock` from requirements*.in.
$(VENV)/.run-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

## Rewrite the locks from requirements.in and requirements-dev.in (after adding a package there).
# Pins already in a lock are kept unless an .in file asks for another version; to move
# everything to the newest allowed versions, run `make lock LOCK_ARGS=--upgrade`.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)
lock: $(VENV)/.dev-installed
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

## Known vulnerabilities in the locked packages (needs the vulnerability service; see .ci/run).
audit: $(VENV)/.dev-installed
	$(VENV)/bin/pip-audit --strict --progress-spinner off --disable-pip \
		--vulnerability-service $${AUDIT_SERVICE:-pypi} -r requirements-dev.txt

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
