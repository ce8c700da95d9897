# Tertulia: `make run` serves the app, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
EMULATOR_PORT ?= 8765

.PHONY: run test install lint typecheck migrations-check stop-db emulator clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tertulia needs Python 3.11+")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e . --group dev
	touch $(STAMP)

install: $(STAMP)

# Serves http://$(HOST):$(PORT). With no DATABASE_URL an embedded PostgreSQL starts under .data/;
# with no GEMINI_API_KEY the local Live emulator (the offline demo tutor) starts beside it.
run: $(STAMP)
	DEBUG=$${DEBUG:-1} EMULATOR_PORT=$(EMULATOR_PORT) HOST=$(HOST) PORT=$(PORT) bash bin/run

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy accounts lessons tutor

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

emulator: $(STAMP)
	$(PY) -m tutor.emulator --port $(EMULATOR_PORT)

stop-db:
	-$(PY) -c 'import pgserver; pgserver.get_server(".data/pg", cleanup_mode="stop").cleanup()'

clean: stop-db
	rm -rf $(VENV) .data staticfiles
