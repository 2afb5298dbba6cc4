# Every target sets up .venv from pyproject.toml on first use, so a fresh clone needs only
# Python 3.10+ and this Makefile.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: venv generate check-generated lint typecheck pytest test demo sandbox bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,sandbox]'
	touch $(INSTALLED)

venv: $(INSTALLED)

## generate: render specs/ into generated/payamak_gen/ (always from an empty folder)
generate: venv
	$(BIN)/python -m codegen

## check-generated: fail if generated/ differs from what specs/ and codegen/ produce
check-generated: venv
	$(BIN)/python -m codegen --check

## lint: ruff (check and format) and validation of every spec file
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m codegen.validate_specs

## typecheck: mypy --strict on the facade, the generator and the generated code
typecheck: venv
	$(BIN)/mypy src/payamak codegen generated/payamak_gen

pytest: venv
	$(BIN)/python -m pytest

## test: everything CI checks
test: lint typecheck check-generated pytest

## demo: start the embedded sandbox and run a short scenario per provider against it
demo: venv
	$(BIN)/python -m payamak.demo

## sandbox: serve the local sandbox on http://127.0.0.1:8765 until Ctrl-C
sandbox: venv
	$(BIN)/python -m payamak.sandbox

## bench: benchmarks (ratios against a baseline measured in the same run)
bench: venv
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist build
