# The core and the Rust API: formatting, lints, unit + integration + conformance tests, the
# Rust rows of the demo.

RUST_FEATURES := --features liveness/tokio

.PHONY: test-rust demo-rust

test-rust: ## Rust: rustfmt check, clippy (warnings denied), core + examples tests
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --exclude liveness-node --all-targets $(RUST_FEATURES) -- -D warnings
	@# napi registers its exports only outside cfg(test): lint the addon as the library it is.
	$(CARGO) clippy -q -p liveness-node --lib -- -D warnings
	$(CARGO) test -q -p liveness --features tokio
	$(CARGO) test -q -p liveness-examples
	@# The crate users will `cargo add` (issue 13, point 7): it must package and build alone.
	$(CARGO) package -q -p liveness --allow-dirty

demo-rust: ## the Rust rows of the demo (target/demo/rust.jsonl)
	$(CARGO) run -q --release -p liveness-examples --bin demo -- run $(ROOT)/target/demo/rust.jsonl
