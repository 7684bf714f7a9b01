# The two set-up commands of the README: `make reproduce` and `make test`.
# Each creates .venv on a fresh machine, installs the package into it and runs its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PYBAMM_DISABLE_TELEMETRY := true
export MPLBACKEND := Agg

.PHONY: reproduce test install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dask]'

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

# reproduce the study: model validation report, pouch-cell designs, figures, into results/
reproduce: install
	$(BIN)/lrmo-cell reproduce --out results

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q
