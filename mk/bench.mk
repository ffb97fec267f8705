# The side-by-side benchmarks (bench/): one harness per language over the scenario set in
# bench/scenarios.json, then one report (results.json, table.md, PNG plots) per run.
#
#   make bench           full run into bench/results/<date>/  (about 21 minutes on 2 cores)
#   make bench QUICK=1   short run into bench/results/<date>-quick/ (under 2 minutes; not committed)
#   make test-bench      every harness once with tiny counts, report --check (part of `make test`)
#
# Peers are installed into the bench environments only (bench/.venv, bench/node/node_modules),
# never as dependencies of the packages.

BENCH_DIR   := $(ROOT)/bench
BENCH_VENV  := $(BENCH_DIR)/.venv
BENCH_PY    := $(BENCH_VENV)/bin/python
BENCH_PY_OK := $(BENCH_VENV)/.requirements-installed
BENCH_NODE_STAMP := $(BENCH_DIR)/node/node_modules/.package-lock.json
BENCH_MODE  := $(if $(SMOKE),smoke,$(if $(QUICK),quick,full))
BENCH_STAMP := $(shell date -u +%Y-%m-%dT%H%M)
BENCH_OUT   ?= $(if $(SMOKE),$(ROOT)/target/bench/smoke,$(BENCH_DIR)/results/$(BENCH_STAMP)$(if $(QUICK),-quick))
BENCH_LANGUAGES := rust c python node

TEST_LAST += test-bench

.PHONY: bench-env bench-build bench-run bench-rust bench-c bench-python bench-node test-bench

$(BENCH_PY_OK): $(BENCH_DIR)/python/requirements.txt $(PY_TOOLS_OK)
	@[ -x $(BENCH_PY) ] || $(PY_BASE) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q --disable-pip-version-check -r $(BENCH_DIR)/python/requirements.txt
	@# liveness itself comes from the develop build of bindings-python (no second build).
	@$(BENCH_PY) -c 'import site, sys; print(sys.argv[1], file=open(site.getsitepackages()[0] + "/liveness-dev.pth", "w"))' \
	  $(PY_DIR)/python
	@touch $@

$(BENCH_NODE_STAMP): $(BENCH_DIR)/node/package-lock.json
	cd $(BENCH_DIR)/node && npm ci --no-audit --no-fund --loglevel=error

bench-env: $(BENCH_PY_OK) $(BENCH_NODE_STAMP) ## the bench environments: bench/.venv (peers, matplotlib), bench/node (peers)

bench-build: bench-env c-deps c-stage node-build $(PY_BUILT) ## build everything the harnesses run
	$(CARGO) build -q --release -p liveness-bench
	$(MAKE) --no-print-directory -C $(BENCH_DIR)/c build LIB_DIR=$(C_STAGE)/lib INCLUDE_DIR=$(C_STAGE)/include

# The harnesses run one after another: two running at once would measure each other.
bench-rust:
	$(CARGO) run -q --release -p liveness-bench -- --mode $(BENCH_MODE) --out $(BENCH_OUT)
bench-c:
	$(MAKE) --no-print-directory -C $(BENCH_DIR)/c run MODE=$(BENCH_MODE) OUT=$(BENCH_OUT) \
	  LIB_DIR=$(C_STAGE)/lib INCLUDE_DIR=$(C_STAGE)/include
bench-python:
	$(BENCH_PY) $(BENCH_DIR)/python/harness.py --mode $(BENCH_MODE) --out $(BENCH_OUT)
	@# The logging bridge with no capture open against the same call without liveness (stdout only:
	@# not a scenario of the report).
	$(BENCH_PY) $(BENCH_DIR)/python/bridges.py --mode $(BENCH_MODE)
bench-node:
	node $(BENCH_DIR)/node/harness.js --mode $(BENCH_MODE) --out $(BENCH_OUT)

bench-run:
	@rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	@$(MAKE) --no-print-directory $(addprefix bench-,$(BENCH_LANGUAGES)) BENCH_OUT=$(BENCH_OUT)
	$(BENCH_PY) $(BENCH_DIR)/report/report.py $(BENCH_OUT) --expect $$(echo $(BENCH_LANGUAGES) | tr " " ,) \
	  --command "make bench$(if $(QUICK), QUICK=1)$(if $(SMOKE), SMOKE=1)" $(if $(SMOKE),--check)

bench: bench-build ## side-by-side benchmarks against peers and sleeps, with plots (QUICK=1: < 2 min)
	@$(MAKE) --no-print-directory bench-run BENCH_OUT=$(BENCH_OUT)
	@echo "bench: $(BENCH_OUT)/table.md"

test-bench: ## smoke test of the benchmarks: every harness and the report once, with tiny counts
	@$(MAKE) --no-print-directory bench SMOKE=1
