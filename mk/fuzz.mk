# Fuzzing the C ABI and the Poller with cargo-fuzz (libFuzzer + AddressSanitizer, Rust nightly).
#
#   make fuzz          run each target for FUZZ_SECONDS (default 600), new inputs kept in FUZZ_WORK
#   make test-fuzz     a short smoke run of each target (FUZZ_SMOKE_SECONDS, default 15): part of `make test`
#
# fuzz/ is its own Cargo workspace, so `cargo build --workspace` on stable never builds it. The seed
# corpus is fuzz/corpus/<target> (read only); what a run finds goes to FUZZ_WORK/<target>, crashes to
# fuzz/artifacts/<target>/. Nightly and cargo-fuzz are installed when missing (cold: ~70 s for
# `cargo install cargo-fuzz`, plus ~80 s for the first instrumented build).

FUZZ_TARGETS := c_abi poller
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_WORK ?= $(TARGET_DIR)/fuzz-corpus
# -O: optimised; -a: debug assertions on, so that an arithmetic overflow panics and is found.
FUZZ_BUILD_FLAGS := -O -a
FUZZ_CARGO := cd $(ROOT)/fuzz && cargo +nightly fuzz

TEST_SUITES += test-fuzz

.PHONY: fuzz-deps fuzz-build fuzz test-fuzz

fuzz-deps: ## install Rust nightly and cargo-fuzz, when missing
	@rustup run nightly rustc --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

fuzz-build: fuzz-deps
	$(FUZZ_CARGO) build $(FUZZ_BUILD_FLAGS)

# $(1): seconds per target. The whole libFuzzer output is in FUZZ_WORK/<target>.log.
define fuzz_run
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_WORK)/$$t; \
	  echo "fuzz: $$t for $(1) s"; \
	  status=0; \
	  $(FUZZ_CARGO) run $(FUZZ_BUILD_FLAGS) $$t $(FUZZ_WORK)/$$t corpus/$$t -- \
	    -max_total_time=$(1) -print_final_stats=1 > $(FUZZ_WORK)/$$t.log 2>&1 || status=$$?; \
	  grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::new_units_added)' $(FUZZ_WORK)/$$t.log || true; \
	  if [ $$status -ne 0 ]; then tail -n 40 $(FUZZ_WORK)/$$t.log; \
	    echo "fuzz: $$t failed (exit $$status); reproducers in fuzz/artifacts/$$t/"; exit 1; fi; \
	done
endef

fuzz: fuzz-build ## run each fuzz target (C ABI, Poller) for FUZZ_SECONDS (default 600)
	$(call fuzz_run,$(FUZZ_SECONDS))

test-fuzz: fuzz-build ## a short smoke run of each fuzz target (FUZZ_SMOKE_SECONDS, default 15)
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))
	@echo "test-fuzz: no crash in $(FUZZ_SMOKE_SECONDS) s of each of $(FUZZ_TARGETS)"
