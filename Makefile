# Civitas developer commands. `make run` and `make test` work on a fresh machine
# with Python >= 3.11 (and Debian's chromium for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format messages bench bench-background bench-reports install clean screenshots lock audit

# Installs the exact versions of requirements.lock, then the project itself (no further resolving).
$(BIN)/activate: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e ".[dev]"
	touch $(BIN)/activate

## Re-resolve pyproject.toml's ranges in a fresh environment and write requirements.lock
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e ".[dev]"
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^civitas'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

## Known advisories in the locked dependencies (needs PyPI's JSON API or OSV; not reachable from the CI machines)
audit: install
	$(BIN)/pip-audit --strict -r requirements.lock

install: $(BIN)/activate
	@# Compile the shipped translations (Babel: no system gettext needed).
	@for domain in django djangojs; do \
	  if ls locale/*/LC_MESSAGES/$$domain.po >/dev/null 2>&1; then \
	    $(BIN)/python -m babel.messages.frontend compile -d locale -D $$domain --statistics || exit 1; \
	  fi; \
	done

## Set up and serve the embedded default (SQLite, in-memory channel layer, demo data) on http://127.0.0.1:8000
## Celery beat runs beside it and, with no broker, runs each timer's task itself (docs/operations.md).
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/celery -A config beat --loglevel=WARNING & beat=$$!; trap 'kill $$beat 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --ws websockets-sansio --lifespan off

## Set up and run the whole test suite (DATABASE_URL / REDIS_URL select PostgreSQL and Redis)
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Extract strings into locale/zh_Hans (needs Debian's gettext), then compile
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --no-obsolete
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans -d djangojs --ignore=.venv --ignore=staticfiles --no-obsolete
	$(MAKE) install

## README screenshots, taken by the accessibility browser test (docs/screenshots/, commit them)
screenshots: install
	E2E_SCREENSHOT_DIR=docs/screenshots $(BIN)/pytest tests/e2e/test_accessibility.py -q -k signed-out

bench: install
	$(BIN)/python bench/run.py

## Comment latency with 50 followers before/after background work, and worker email throughput (bench/background.py)
BEFORE ?= main
bench-background: install
	$(BIN)/python bench/background.py --before $(BEFORE)

## Nearby search and map GeoJSON over 100,000 citizen reports on SQLite (and PostgreSQL with POSTGRES_URL, emptied)
bench-reports: install
	nice $(BIN)/python bench/reports.py $(if $(POSTGRES_URL),--postgres $(POSTGRES_URL))

clean:
	rm -rf $(VENV) staticfiles db.sqlite3* media
