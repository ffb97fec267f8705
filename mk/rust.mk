# The core and the Rust API: formatting, lints, unit + integration + conformance tests, the
# Rust rows of the demo.

RUST_FEATURES := --features liveness/tokio,liveness/tracing

.PHONY: test-rust demo-rust

# dist-rust is the packaging check: the crate users will `cargo add` must package and build alone
# (issue 13, point 7); as a prerequisite it runs once in `make test`, which also needs the .crate.
test-rust: dist-rust ## Rust: rustfmt check, clippy (warnings denied), core + examples tests, cargo package
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --exclude liveness-node --all-targets $(RUST_FEATURES) -- -D warnings
	@# napi registers its exports only outside cfg(test): lint the addon as the library it is.
	$(CARGO) clippy -q -p liveness-node --lib -- -D warnings
	$(CARGO) test -q -p liveness --features tokio,tracing
	$(CARGO) test -q -p liveness-examples

demo-rust: ## the Rust door of the demo: every scenario of demo/scenarios.json (target/demo/rust.json)
	$(CARGO) run -q --release -p liveness-examples --bin demo -- run $(ROOT)/demo/scenarios.json $(ROOT)/target/demo/rust.json

# The crate as crates.io gets it (`cargo package`, verified: it builds alone from the .crate),
# and a user's project that depends on it (issue 14).
RUST_CRATE := $(DIST_DIR)/liveness-$(VERSION).crate
RUST_DIST_TARGET := $(TARGET_DIR)/test-dist-rust

.PHONY: dist-rust test-dist-rust

dist-rust: ## Rust: dist/liveness-VERSION.crate (cargo package, verified)
	$(CARGO) package -q -p liveness --allow-dirty
	@mkdir -p $(DIST_DIR)
	cp $(TARGET_DIR)/package/liveness-$(VERSION).crate $(RUST_CRATE)

# The packaged crate, extracted outside the checkout, as the `liveness` of a fresh project; its
# own target dir under target/ keeps a second run quick.
test-dist-rust: $(if $(DIST_PREBUILT),,dist-rust) ## Rust: cargo test in a fresh project whose `liveness` is the packaged crate
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tar -xzf $(RUST_CRATE) -C "$$tmp"; \
	mkdir -p "$$tmp/project/tests" "$$tmp/project/src"; touch "$$tmp/project/src/lib.rs"; \
	sed -e "s|@VERSION@|$(VERSION)|" -e "s|@CRATE_DIR@|$$tmp/liveness-$(VERSION)|" \
	  $(ROOT)/core/dist-check/Cargo.toml.in > "$$tmp/project/Cargo.toml"; \
	cp $(ROOT)/core/dist-check/tests/*.rs "$$tmp/project/tests/"; \
	cd "$$tmp/project" && CARGO_TARGET_DIR=$(RUST_DIST_TARGET) $(CARGO) test -q --test wait; \
	if sed -n '/^name = "liveness"$$/,/^$$/p' Cargo.lock | grep -q '^source = '; then \
	  echo "test-dist-rust: liveness came from a registry, not from the packaged crate"; exit 1; fi; \
	echo "test-dist-rust: the packaged crate passes a user's cargo test"

DIST_PARTS += dist-rust
TEST_DIST_PARTS += test-dist-rust
