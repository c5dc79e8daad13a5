# Two commands for a newcomer: `make demo` and `make test`. Both create .venv if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lab lint typecheck bench clean help

help:
	@echo "make demo       install into .venv and run the example study (output under reports/)"
	@echo "make test       install test extras into .venv and run the whole suite"
	@echo "make lab        open JupyterLab on notebooks/"
	@echo "make bench      run the benchmarks in benchmarks/"
	@echo "make clean      remove .venv, reports/ and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[all]"
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/cxresearch run surveys/insurer-claims --reports reports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: $(VENV)/.installed-test
	$(BIN)/mypy
	$(BIN)/python -m pytest

lab: $(VENV)/.installed
	$(BIN)/jupyter lab notebooks/

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_instruments.py

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .hypothesis
