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

# Rust first: every other binding builds on the core.
TEST_SUITES := test-rust
DEMO_PARTS := demo-rust
# Suites that build on all the others (the benchmarks' smoke test) run last.
TEST_LAST :=

include $(sort $(wildcard mk/*.mk))

.PHONY: help test demo
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

test: $(TEST_SUITES) $(TEST_LAST) ## build everything and run every test suite (Rust, C, Python, Node)
	@echo "make test: all suites passed ($(TEST_SUITES) $(TEST_LAST))"

demo: ## build everything, run the seeds' scenarios with sleeps and with liveness, print the table
	@rm -rf $(ROOT)/target/demo && mkdir -p $(ROOT)/target/demo
	@$(MAKE) --no-print-directory $(DEMO_PARTS)
	@$(CARGO) run -q --release -p liveness-examples --bin demo -- table $(ROOT)/target/demo

