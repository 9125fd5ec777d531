# `make demo` brings the demo up; `make test` runs every test against real PostgreSQL, Redis and a Celery worker.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install lint messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) scripts/demo.py

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy prm partners orders catalog purchasing training rewards announcements campaigns notices
	$(PY) manage.py makemigrations --check --dry-run --settings=prm.settings.test >/dev/null
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy prm partners orders catalog purchasing training rewards announcements campaigns notices

messages: $(STAMP)
	$(PY) manage.py makemessages -l ko --ignore ".venv/*" --ignore "var/*" --ignore "test-output/*" --ignore "tests/*"
	$(PY) scripts/po_fill.py
	$(PY) manage.py compilemessages -l ko --ignore ".venv/*"

clean:
	rm -rf $(VENV) var test-output
