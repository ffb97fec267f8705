# liveness — one Rust core, four bindings. `make help` lists the targets.
#
# Each binding adds its own rules in mk/<binding>.mk and appends to TEST_SUITES / DEMO_PARTS /
# BENCH_PARTS, so this file stays the index and never needs to know a binding's details.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(abspath .)
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never
# Where cargo builds; every binding puts its own outputs under it too, so that two checkouts (or
# two sessions with their own CARGO_TARGET_DIR) never write into each other's.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(ROOT)/target)
# The one version of liveness (the workspace's); what the bindings' artifacts are named after.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml | head -n1)

# Rust first: every other binding builds on the core.
TEST_SUITES := test-rust
DEMO_PARTS := demo-rust demo-c demo-python demo-node
# The doors whose target/demo/<door>.json the table reads (each ported door adds itself).
DEMO_DOORS := rust c python node
# Suites that build on all the others run last: the artifacts installed as users install them,
# the benchmarks' smoke test.
TEST_LAST := test-dist
# The release artifacts (`make dist`, into dist/) and the checks that install each one as its
# users do (`make test-dist`); each binding's mk file adds its parts.
DIST_DIR := $(ROOT)/dist
DIST_PARTS :=
TEST_DIST_PARTS :=

# bench.mk last: its rules' prerequisites name every door's build products ($(PY_BUILT),
# $(PY_TOOLS_OK), ...), which a rule expands as it is read.
include $(filter-out mk/bench.mk,$(sort $(wildcard mk/*.mk))) mk/bench.mk

.PHONY: help test demo dist test-dist
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

test: $(TEST_SUITES) $(TEST_LAST) ## build everything and run every test suite (Rust, C, Python, Node)
	@echo "make test: all suites passed ($(TEST_SUITES) $(TEST_LAST))"

demo: ## build everything, run the seeds' scenarios with sleeps and with liveness, print the table
	@rm -rf $(ROOT)/target/demo && mkdir -p $(ROOT)/target/demo/logs
	@# One door at a time: the loaded scenarios start their own hog, which must not slow another door.
	@for part in $(DEMO_PARTS); do \
	  $(ROOT)/demo/quietly.sh "$${part#demo-} door: building and running the scenarios" \
	    $(ROOT)/target/demo/logs/$${part#demo-}.log $(MAKE) --no-print-directory $$part || exit 1; \
	done
	@$(ROOT)/demo/quietly.sh "the table builder" $(ROOT)/target/demo/logs/table.log \
	  $(CARGO) build -q --release -p liveness-examples --bin demo
	@echo
	@$(TARGET_DIR)/release/demo table $(ROOT)/demo/scenarios.json $(ROOT)/target/demo $(DEMO_DOORS) \
	  > $(ROOT)/target/demo/table.txt && cat $(ROOT)/target/demo/table.txt
	@echo
	@# The chart draws with the bench's matplotlib (bench/.venv, installed once, then only checked).
	@$(ROOT)/demo/quietly.sh "the chart" $(ROOT)/target/demo/logs/chart.log sh -c \
	  '$(MAKE) --no-print-directory $(BENCH_PY_OK) && $(BENCH_PY) $(ROOT)/demo/chart.py \
	    $(ROOT)/demo/scenarios.json $(ROOT)/target/demo $(ROOT)/target/demo/demo.png $(DEMO_DOORS)'
	@echo "the table: target/demo/table.txt; the chart: target/demo/demo.png; the build logs: target/demo/logs"

dist: $(DIST_PARTS) ## build every release artifact into dist/ (wheel + sdist, npm packages, C tarball, .crate)
	@mkdir -p $(DIST_DIR); echo "make dist: artifacts in $(DIST_DIR):"; ls -l $(DIST_DIR)

test-dist: $(TEST_DIST_PARTS) ## install each artifact of dist/ as its users do (no cargo, no checkout) and run a real test
	@echo "make test-dist: passed ($(TEST_DIST_PARTS))"
