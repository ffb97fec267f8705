# The Python binding (bindings-python/): a virtualenv under the repo, a develop install of the
# package built by maturin (release profile, so the same build serves tests, demo and bench),
# ruff (lint + format check), then pytest. Every step is guarded by a stamp so a second
# `make test-python` only runs ruff and pytest.

PY_DIR      := $(ROOT)/bindings-python
PY_VENV     := $(ROOT)/.venv
PY          := $(PY_VENV)/bin/python
# The interpreter the venv is made from: the first Python >= 3.10 on PATH.
PY_BASE     ?= python3
# Every tool is pinned: a new release may add findings (ruff, mypy), change the format or the
# output the tests read (pytest 9.2's --tb=line broke CI once), and `make test` would fail
# without any change here. Bump them on purpose, with their fixes in the same commit.
# trio and anyio: liveness.aio is tested under both (the package itself depends on neither).
# freezegun and time-machine: waits must keep working while a test freezes time.
# opentelemetry-sdk (pinned): the liveness.otel bridge is tested against the real SDK.
PY_TOOLS    := maturin==1.16.0 pytest==9.2.0 pytest-xdist==3.8.0 pytest-asyncio==1.5.0 pytest-timeout==2.4.0 \
               mypy==2.4.1 ruff==0.17.6 trio==0.35.0 anyio==4.16.0 freezegun==1.5.5 time-machine==3.6.0 \
               opentelemetry-sdk==1.45.2 opentelemetry-api==1.45.2
PY_TOOLS_OK := $(PY_VENV)/.tools-installed
# The develop install copies the native module here; it is the stamp of the build (a fresh venv
# is older than it only when it is already installed there).
PY_BUILT    := $(PY_DIR)/python/liveness/_native.abi3.so
# What the native module is built from; Python sources need no rebuild (editable install).
PY_NATIVE_SRC := $(shell find $(ROOT)/core/src $(ROOT)/lint/src $(PY_DIR)/src -name '*.rs' 2>/dev/null) \
                 $(ROOT)/core/Cargo.toml $(ROOT)/lint/Cargo.toml $(PY_DIR)/Cargo.toml $(PY_DIR)/pyproject.toml $(ROOT)/Cargo.toml
PY_TEST_ARGS ?= -n 2
# What ruff checks: the package, its tests and demo, the demo chart (demo/), and the bench harness (whose ruff.toml
# extends bindings-python/pyproject.toml).
PY_LINT_PATHS := $(PY_DIR) $(ROOT)/bench/python $(ROOT)/demo
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

demo-python: $(PY_BUILT) ## the Python door of the demo: every scenario of demo/scenarios.json (target/demo/python.json)
	$(PY) $(PY_DIR)/demo/demo.py $(ROOT)/demo/scenarios.json $(ROOT)/target/demo/python.json

TEST_SUITES += test-python

# ---- Release artifacts (issue 14): the wheel and the sdist users get from PyPI -----------------
#
# The wheel is built by maturin with zig as the linker against glibc 2.17, so it installs on every
# manylinux2014 system (Debian 11, Ubuntu 20.04, RHEL 8, Amazon Linux 2), not only on hosts as new
# as this one (a native build is tagged manylinux_2_34). The tools live in a venv of their own:
# pinned to exact versions (a new maturin or zig may tag or link differently), and kept out of
# .venv, which `make test-python` rebuilds whenever pyproject.toml changes.
PY_DIST_VENV  := $(TARGET_DIR)/tools/py-dist
PY_DIST_TOOLS := maturin==1.16.0 ziglang==0.17.0 auditwheel==6.8.2 twine==7.0.0
# The stamp names the pins: changing one reinstalls, a second run does nothing.
PY_DIST_OK    := $(PY_DIST_VENV)/.ok-$(shell echo '$(PY_DIST_TOOLS)' | cksum | cut -d' ' -f1)
PY_WHEEL_PLAT := manylinux_2_17_x86_64
PY_WHEEL      := $(DIST_DIR)/liveness-$(VERSION)-cp310-abi3-manylinux2014_x86_64.$(PY_WHEEL_PLAT).whl
PY_SDIST      := $(DIST_DIR)/liveness-$(VERSION).tar.gz
# Which wheel test-dist-python installs: by glob, so the workflow's wheels for other platforms
# (downloaded into dist/, DIST_PREBUILT=1) are tested by the same rule.
PY_WHEEL_GLOB := $(DIST_DIR)/liveness-$(VERSION)-*.whl
# What `auditwheel show` must report for the wheel check-python-wheel checks (e.g. a wheel of
# another build: make check-python-wheel PY_CHECK_WHEEL=path/to.whl).
PY_CHECK_WHEEL ?= $(PY_WHEEL)
PY_DIST_CHECK := $(PY_DIR)/dist-check

.PHONY: dist-python check-python-wheel test-dist-python test-dist-python-wheel test-dist-python-sdist

$(PY_DIST_OK):
	@rm -rf $(PY_DIST_VENV)
	$(PY_BASE) -m venv $(PY_DIST_VENV)
	$(PY_DIST_VENV)/bin/python -m pip install -q --disable-pip-version-check $(PY_DIST_TOOLS)
	@touch $@

dist-python: $(PY_DIST_OK) ## Python: dist/ abi3 manylinux2014 wheel + sdist (maturin --zig), auditwheel and twine checks
	@mkdir -p $(DIST_DIR)
	rm -f $(DIST_DIR)/liveness-$(VERSION)-*.whl $(PY_SDIST)
	@# zig (the ziglang wheel's binary) must be found by maturin: the tools venv goes first on PATH.
	cd $(PY_DIR) && PATH=$(PY_DIST_VENV)/bin:$$PATH $(PY_DIST_VENV)/bin/maturin build --quiet \
	  --profile dist --zig --compatibility manylinux2014 --target x86_64-unknown-linux-gnu --out $(DIST_DIR)
	cd $(PY_DIR) && $(PY_DIST_VENV)/bin/maturin sdist --out $(DIST_DIR)
	@[ -f $(PY_WHEEL) ] || { echo "dist-python: expected $(PY_WHEEL), got:"; ls $(DIST_DIR); exit 1; }
	@[ -f $(PY_SDIST) ] || { echo "dist-python: expected $(PY_SDIST)"; exit 1; }
	@$(MAKE) --no-print-directory check-python-wheel PY_CHECK_WHEEL=$(PY_WHEEL)
	$(PY_DIST_VENV)/bin/twine --no-color check --strict $(PY_WHEEL) $(PY_SDIST)
	@ls -l $(PY_WHEEL) $(PY_SDIST)

# The tag in a wheel's name is only a claim: auditwheel reads the symbol versions the native module
# needs, and the wheel must be consistent with the manylinux tag it is named after.
check-python-wheel: $(PY_DIST_OK) ## Python: auditwheel show must agree with the wheel's manylinux_2_17 tag
	@set -e; out=$$($(PY_DIST_VENV)/bin/auditwheel show $(PY_CHECK_WHEEL)); echo "$$out"; \
	tag=$$(echo "$$out" | tr '\n' ' ' | sed -n 's/.*consistent with the following platform tag: *"\([^"]*\)".*/\1/p'); \
	if [ "$$tag" != "$(PY_WHEEL_PLAT)" ]; then \
	  echo "check-python-wheel: auditwheel says the wheel is $${tag:-of no manylinux tag}, not $(PY_WHEEL_PLAT)"; exit 1; fi; \
	echo "check-python-wheel: $(notdir $(PY_CHECK_WHEEL)) is consistent with $(PY_WHEEL_PLAT)"

# Installed as users install it: a fresh venv outside the checkout, `pip install` of the file,
# PATH without cargo/rustc/rustup, no PYTHONPATH, then pytest on dist-check/test_installed.py.
# $(1): what to pip install; $(2): a label; $(3): 1 if the install itself may use cargo (the sdist).
# `Scripts/` is the venv's bin/ on Windows (the workflow runs this there under bash).
define py_test_installed
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PY_BASE) -m venv "$$tmp/venv"; \
	bin="$$tmp/venv/bin"; [ -d "$$bin" ] || bin="$$tmp/venv/Scripts"; \
	nocargo=; IFS=:; for d in $$PATH; do \
	  [ -e "$$d/cargo" ] || [ -e "$$d/cargo.exe" ] || [ -e "$$d/rustc" ] || [ -e "$$d/rustup" ] || nocargo="$$nocargo$${nocargo:+:}$$d"; \
	done; unset IFS; \
	installpath=$$( [ "$(3)" = 1 ] && echo "$$PATH" || echo "$$nocargo" ); \
	cd "$$tmp"; \
	env -u PYTHONPATH -u VIRTUAL_ENV PATH="$$bin:$$installpath" PYTHONNOUSERSITE=1 \
	  CARGO_TARGET_DIR=$(TARGET_DIR)/test-dist-python-sdist "$$bin/python" -m pip install -q --disable-pip-version-check $(1) pytest; \
	cp $(PY_DIST_CHECK)/test_installed.py "$$tmp/"; \
	env -u PYTHONPATH -u VIRTUAL_ENV PATH="$$bin:$$nocargo" PYTHONNOUSERSITE=1 \
	  LIVENESS_EXPECTED_VERSION=$(VERSION) LIVENESS_CHECKOUT=$(ROOT) \
	  bash -c '! command -v cargo >/dev/null || { echo "test-dist-python: cargo is still on PATH"; exit 1; }; \
	    exec "$$0" -m pytest -p no:cacheprovider -v test_installed.py' "$$bin/python"; \
	echo "test-dist-python: $(2) passes a user's pytest run"
endef

test-dist-python-wheel: $(if $(DIST_PREBUILT),,dist-python) ## Python: the wheel of dist/ in a fresh venv (no cargo, no checkout), pytest
	@set -e; n=$$(ls $(PY_WHEEL_GLOB) 2>/dev/null | wc -l); \
	[ "$$n" = 1 ] || { echo "test-dist-python: want one wheel $(PY_WHEEL_GLOB), found $$n"; exit 1; }
	$(call py_test_installed,$(PY_WHEEL_GLOB),the wheel,0)

# From source: pip builds the sdist (maturin from PyPI, cargo from PATH), in a cargo target dir
# under target/ so that a second run rebuilds only liveness itself.
test-dist-python-sdist: $(if $(DIST_PREBUILT),,dist-python) ## Python: the sdist built by pip in a fresh venv, then pytest without cargo
	$(call py_test_installed,--no-cache-dir --no-binary liveness $(PY_SDIST),the sdist $(notdir $(PY_SDIST)),1)

test-dist-python: test-dist-python-wheel test-dist-python-sdist ## Python: test-dist-python-wheel and test-dist-python-sdist

DIST_PARTS += dist-python
TEST_DIST_PARTS += test-dist-python
