# Tertulia: `make run` serves the app, `make test` runs the whole suite. Both set themselves up:
# a pinned uv (bootstrapped from the package index into .tools/) installs exactly what uv.lock
# says into .venv/, and `make test` finds or installs a Chromium for the browser tests.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
EMULATOR_PORT ?= 8765
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-m smoke"`.
PYTEST_ARGS ?=

# uv uses the Python it is given and never downloads one of its own.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install lock upgrade lock-check browser lint typecheck migrations-check \
	stop-db emulator clean messages compilemessages

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tertulia needs Python 3.11+")'
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# --locked: install exactly uv.lock, and stop if pyproject.toml and the lock disagree.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	touch $(STAMP)

install: $(STAMP)

# Refresh the lock after editing pyproject.toml (keeps every other pin), or move every pin to
# the newest release the bounds allow. Commit uv.lock with the change that needed it.
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

upgrade: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

lock-check: | $(UV)
	$(UV) lock --check --python $(PYTHON)

# Serves http://$(HOST):$(PORT). With no DATABASE_URL an embedded PostgreSQL starts under .data/;
# with no GEMINI_API_KEY the local Live emulator (the offline demo tutor) starts beside it.
# DEBUG is off unless set (`DEBUG=1 make run`): no debug page ever reaches another visitor.
run: $(STAMP)
	EMULATOR_PORT=$(EMULATOR_PORT) HOST=$(HOST) PORT=$(PORT) bash bin/run

browser: $(STAMP)
	@bin/ensure-browser >/dev/null

# The browser's path comes from bin/ensure-browser, nginx's (for the multi-process tests)
# from bin/ensure-nginx, GNU gettext's (the catalogs' up-to-date test) from bin/ensure-gettext;
# if any finds and installs none, stop here.
test: $(STAMP)
	chromium="$$(bin/ensure-browser)" && nginx="$$(bin/ensure-nginx)" && \
	gettext="$$(bin/ensure-gettext)" && PATH="$$gettext:$$PATH" \
	CHROMIUM="$$chromium" NGINX="$$nginx" $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy accounts lessons tutor

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# The interface's catalogs (locale/, docs/ARCHITECTURE.md "Languages of the interface"):
# `messages` brings every language's django.po and djangojs.po up to date with the sources
# (tutor/catalogs.py says which), `compilemessages` writes the .mo files, which are committed.
# Both need GNU gettext; bin/ensure-gettext finds or installs it.
messages: $(STAMP)
	bin/ensure-gettext >/dev/null
	DJANGO_SETTINGS_MODULE=tutor.settings $(PY) -m tutor.catalogs make

compilemessages: $(STAMP)
	bin/ensure-gettext >/dev/null
	DJANGO_SETTINGS_MODULE=tutor.settings $(PY) -m tutor.catalogs compile

emulator: $(STAMP)
	$(PY) -m tutor.emulator --port $(EMULATOR_PORT)

stop-db:
	-$(PY) -c 'import pgserver; pgserver.get_server(".data/pg", cleanup_mode="stop").cleanup()'

clean: stop-db
	rm -rf $(VENV) $(TOOLS) .data staticfiles
