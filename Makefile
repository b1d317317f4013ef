# hemcell: the two commands of the README, plus helpers.
#   make demo   set up .venv (Python >= 3.12) if needed, run the main job
#   make test   set up .venv if needed, lint, run the test suite (what CI runs)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.hemcell-installed
OUT ?= hemcell-output

.PHONY: demo test test-slow lint validate bench wheel clean

$(STAMP): pyproject.toml scripts/bootstrap.sh
	VENV=$(VENV) bash scripts/bootstrap.sh
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m hemcell demo --out $(OUT)/demo --overwrite

test: $(STAMP)
	$(VENV)/bin/ruff check hemcell tests benchmarks
	$(PY) -m pytest -n 2 --dist loadfile

test-slow: $(STAMP)
	$(PY) -m pytest -m slow

lint: $(STAMP)
	$(VENV)/bin/ruff check hemcell tests benchmarks

validate: $(STAMP)
	$(PY) -m hemcell validate --out $(OUT)/validation --overwrite

bench: $(STAMP)
	$(PY) -m hemcell bench --out $(OUT)/bench --overwrite

wheel: $(STAMP)
	$(PY) -m build --wheel --no-isolation --outdir dist

clean:
	rm -rf dist build $(OUT) .pytest_cache
