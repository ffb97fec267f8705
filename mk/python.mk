# The Python binding (bindings-python/): a virtualenv under the repo, a develop install of the
# package built by maturin (release profile, so the same build serves tests, demo and bench),
# ruff (lint + format check), then pytest. Every step is guarded by a stamp so a second
# `make test-python` only runs ruff and pytest.

PY_DIR      := $(ROOT)/bindings-python
PY_VENV     := $(ROOT)/.venv
PY          := $(PY_VENV)/bin/python
# The interpreter the venv is made from: the first Python >= 3.10 on PATH.
PY_BASE     ?= python3
# ruff is pinned: a new release may add findings or change the format, and `make test` would
# fail without any change here (bump it on purpose, with its reformat/fixes in the same commit).
# trio and anyio: liveness.aio is tested under both (the package itself depends on neither).
# freezegun and time-machine: waits must keep working while a test freezes time.
# opentelemetry-sdk (pinned): the liveness.otel bridge is tested against the real SDK.
PY_TOOLS    := maturin>=1.9,<2 pytest>=7 pytest-xdist pytest-asyncio>=0.23 pytest-timeout mypy ruff==0.17.6 \
               trio>=0.25 anyio>=4 freezegun>=1.3 time-machine>=2.10 \
               opentelemetry-sdk==1.45.2 opentelemetry-api==1.45.2
PY_TOOLS_OK := $(PY_VENV)/.tools-installed
# The develop install copies the native module here; it is the stamp of the build (a fresh venv
# is older than it only when it is already installed there).
PY_BUILT    := $(PY_DIR)/python/liveness/_native.abi3.so
# What the native module is built from; Python sources need no rebuild (editable install).
PY_NATIVE_SRC := $(shell find $(ROOT)/core/src $(PY_DIR)/src -name '*.rs' 2>/dev/null) \
                 $(ROOT)/core/Cargo.toml $(PY_DIR)/Cargo.toml $(PY_DIR)/pyproject.toml $(ROOT)/Cargo.toml
PY_TEST_ARGS ?= -n 2
# What ruff checks: the package, its tests and demo, and the bench harness (whose ruff.toml
# extends bindings-python/pyproject.toml).
PY_LINT_PATHS := $(PY_DIR) $(ROOT)/bench/python
RUFF        := $(PY_VENV)/bin/ruff

.PHONY: python-env python-develop lint-python format-python test-python demo-python

$(PY_TOOLS_OK): $(PY_DIR)/pyproject.toml mk/python.mk
	@if ! $(PY_BASE) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then \
	  echo "python: installing python3-venv (needs Python >= 3.10 with venv)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3 python3-venv; \
	fi
	@[ -x $(PY) ] || $(PY_BASE) -m venv $(PY_VENV)
	$(PY) -m pip install -q --disable-pip-version-check $(foreach t,$(PY_TOOLS),'$(t)')
	@touch $@

$(PY_BUILT): $(PY_TOOLS_OK) $(PY_NATIVE_SRC)
	cd $(PY_DIR) && VIRTUAL_ENV=$(PY_VENV) PATH=$(PY_VENV)/bin:$$PATH \
	  $(PY_VENV)/bin/maturin develop --release --quiet
	@touch $@

python-env: $(PY_TOOLS_OK) ## make the virtualenv .venv with maturin, pytest, mypy and ruff

python-develop: $(PY_BUILT) ## build the Python package and install it (editable) into .venv

# Needs only the tools, not the build: a lint or format slip fails in seconds, before maturin.
lint-python: $(PY_TOOLS_OK) ## Python: ruff check and ruff format --check (bindings-python/, bench/python/)
	$(RUFF) check $(PY_LINT_PATHS)
	$(RUFF) format --check --diff $(PY_LINT_PATHS)

format-python: $(PY_TOOLS_OK) ## Python: ruff format, then ruff check --fix (safe fixes only)
	$(RUFF) format $(PY_LINT_PATHS)
	$(RUFF) check --fix $(PY_LINT_PATHS)

test-python: lint-python $(PY_BUILT) ## run the Python suite (ruff, pytest -n 2, conformance vectors, stubtest)
	cd $(PY_DIR) && $(PY) -m pytest $(PY_TEST_ARGS) tests

demo-python: $(PY_BUILT) ## the Python rows of the demo table (target/demo/python.jsonl)
	@mkdir -p $(ROOT)/target/demo
	$(PY) $(PY_DIR)/demo/demo.py --out $(ROOT)/target/demo/python.jsonl

TEST_SUITES += test-python
DEMO_PARTS  += demo-python
