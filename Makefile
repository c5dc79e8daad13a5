# Two commands for a newcomer: `make demo` and `make test`. Both create .venv if needed.
# Pick the Python that makes .venv with e.g. `make PYTHON=python3.12 demo`.
PYTHON     ?= python3
MIN_PYTHON := 3.11
VENV       := .venv
BIN        := $(VENV)/bin

comma := ,
# The goal to repeat in hints ("make PYTHON=... demo"); `demo` when make was run bare.
GOAL  := $(or $(firstword $(MAKECMDGOALS)),demo)

.PHONY: demo test lab typecheck bench clean help browser

help:
	@echo "make demo       install into .venv and run the example study (output under reports/)"
	@echo "make test       install test extras into .venv, type-check and run the whole suite"
	@echo "make typecheck  run mypy on src/"
	@echo "make lab        open JupyterLab on notebooks/"
	@echo "make bench      run the benchmarks in benchmarks/"
	@echo "make clean      remove .venv, reports/ and caches"
	@echo ""
	@echo ".venv is made with PYTHON=$(PYTHON) (Python $(MIN_PYTHON) or newer);"
	@echo "pick another with e.g. 'make PYTHON=python3.11 demo'."

# Make the virtual environment, or leave nothing behind: a half-made .venv (Debian and
# Ubuntu ship Python without the venv/ensurepip module) would make every later run fail
# with "No module named pip".
$(BIN)/python:
	@info=$$($(PYTHON) -c 'import sys; v = sys.version_info; sys.stdout.write("%d.%d.%d %d.%d %d\n" % (v[0], v[1], v[2], v[0], v[1], v >= ($(subst .,$(comma),$(MIN_PYTHON)),)))' 2>/dev/null); \
	if [ -z "$$info" ]; then \
	  echo "error: cannot run PYTHON=$(PYTHON) as a Python interpreter (not found, or not Python)." >&2; \
	  echo "  cxresearch needs Python $(MIN_PYTHON) or newer. Pick one with e.g." >&2; \
	  echo "    make PYTHON=python$(MIN_PYTHON) $(GOAL)" >&2; \
	  echo "  (a command on PATH or the full path to the interpreter)." >&2; \
	  exit 1; \
	fi; \
	set -- $$info; version=$$1; minor=$$2; ok=$$3; \
	if [ "$$ok" != 1 ]; then \
	  echo "error: PYTHON=$(PYTHON) is Python $$version; cxresearch needs Python $(MIN_PYTHON) or newer." >&2; \
	  echo "  Pick a newer one with e.g." >&2; \
	  echo "    make PYTHON=python$(MIN_PYTHON) $(GOAL)" >&2; \
	  echo "  (install it with your package manager, pyenv, or from python.org if you have none)." >&2; \
	  exit 1; \
	fi; \
	echo "creating $(VENV) with $(PYTHON) (Python $$version)"; \
	if ! $(PYTHON) -m venv $(VENV) || ! $(BIN)/python -m pip --version >/dev/null 2>&1; then \
	  rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv $(VENV)' could not make a virtual environment with pip;" >&2; \
	  echo "  the half-made $(VENV) was removed. On Debian or Ubuntu install the venv module first:" >&2; \
	  echo "    sudo apt-get install python$$minor-venv    (or: sudo apt-get install python3-venv)" >&2; \
	  echo "  then run 'make $(GOAL)' again, or pick another Python: make PYTHON=python$(MIN_PYTHON) $(GOAL)" >&2; \
	  exit 1; \
	fi; \
	$(BIN)/python -m pip install --quiet --upgrade pip || \
	  echo "warning: could not upgrade pip (offline?); going on with the pip that came with Python $$version" >&2

# The stamps say "this install finished". Each is removed before installing, so a failed
# or interrupted install leaves no stamp and the next run retries it.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@rm -f $@
	@echo "installing cxresearch[all] into $(VENV) (a few minutes the first time)"
	@$(BIN)/python -m pip install --quiet -e ".[all]" || { \
	  echo "error: installing cxresearch[all] into $(VENV) failed (see pip's message above)." >&2; \
	  echo "  Fix the cause (network, proxy, disk space) and run 'make $(GOAL)' again; 'make clean' starts over." >&2; \
	  exit 1; }
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@rm -f $@ $(VENV)/.installed
	@echo "installing cxresearch[test] into $(VENV) (a few minutes the first time)"
	@$(BIN)/python -m pip install --quiet -e ".[test]" || { \
	  echo "error: installing cxresearch[test] into $(VENV) failed (see pip's message above)." >&2; \
	  echo "  Fix the cause (network, proxy, disk space) and run 'make $(GOAL)' again; 'make clean' starts over." >&2; \
	  exit 1; }
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/cxresearch run surveys/insurer-claims --reports reports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The browser tests (tests/browser) drive Debian's chromium; install it when it is missing
# and apt-get may be used (root). Without it those tests are skipped, saying why.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium (Debian's package) for the browser tests"; \
	    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	      echo "warning: could not install chromium; the browser tests will be skipped" >&2; \
	  else \
	    echo "note: chromium is not installed (sudo apt-get install chromium); the browser tests will be skipped" >&2; \
	  fi; \
	fi

test: $(VENV)/.installed-test browser
	$(BIN)/mypy
	$(BIN)/python -m pytest

lab: $(VENV)/.installed
	$(BIN)/jupyter lab notebooks/

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_instruments.py
	$(BIN)/python benchmarks/bench_logic_vector.py
	$(BIN)/python benchmarks/bench_scrubber.py
	$(BIN)/python benchmarks/bench_responses.py
	$(BIN)/python benchmarks/bench_bootstrap.py
	$(BIN)/python benchmarks/bench_drivers.py
	$(BIN)/python benchmarks/bench_journey_map.py
	$(BIN)/python benchmarks/bench_qual_import.py
	$(BIN)/python benchmarks/bench_qual_analysis.py
	$(BIN)/python benchmarks/bench_study.py
	$(BIN)/python benchmarks/sim_coverage.py --quick

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .hypothesis
