# `liveness lint` (issue 16): the lint engine's tests (rules, config, output, the labelled corpus
# under lint/tests/corpus/), then the linter over this repository, which must find nothing: each
# sleep in our tests that is the simulated system's behaviour says so with
# `liveness: allow-sleep(reason)`, and liveness.toml keeps the corpus (sleepy on purpose) out.

.PHONY: test-lint lint-repo

test-lint: ## liveness lint: the engine's tests and corpus, then zero findings on this repository
	$(CARGO) test -q -p liveness-lint
	@$(MAKE) --no-print-directory lint-repo

lint-repo: ## run `liveness lint` over this repository (text output; exit 1 on any finding)
	cd $(ROOT) && $(CARGO) run -q -p liveness-lint --bin liveness -- lint .

TEST_SUITES += test-lint

# The linter as `cargo install liveness-lint` gets it: the packaged crate (verified: it builds
# alone from the .crate), installed from the extracted package into a root of its own, then run
# on a tiny test tree where it must report the sleep and suggest the replacement.
LINT_CRATE := $(DIST_DIR)/liveness-lint-$(VERSION).crate

.PHONY: dist-lint test-dist-lint

dist-lint: ## the linter's crate: dist/liveness-lint-VERSION.crate (cargo package, verified)
	$(CARGO) package -q -p liveness-lint --allow-dirty
	@mkdir -p $(DIST_DIR)
	cp $(TARGET_DIR)/package/liveness-lint-$(VERSION).crate $(LINT_CRATE)

test-dist-lint: $(if $(DIST_PREBUILT),,dist-lint) ## cargo install of the packaged linter, run on a sleepy test tree
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tar -xzf $(LINT_CRATE) -C "$$tmp"; \
	CARGO_TARGET_DIR=$(TARGET_DIR)/test-dist-lint $(CARGO) install -q --locked --path "$$tmp/liveness-lint-$(VERSION)" --root "$$tmp/root"; \
	mkdir -p "$$tmp/project/tests"; printf 'import time\n\ndef test_waits():\n    time.sleep(0.5)\n' > "$$tmp/project/tests/test_x.py"; \
	cd "$$tmp/project"; status=0; "$$tmp/root/bin/liveness" lint . > out.txt || status=$$?; cat out.txt; \
	[ $$status -eq 1 ] || { echo "test-dist-lint: expected exit 1 (a finding), got $$status"; exit 1; }; \
	grep -q 'tests/test_x.py:4:' out.txt && grep -q 'eventually_passes' out.txt || { echo "test-dist-lint: the finding or its suggestion is missing"; exit 1; }; \
	echo "test-dist-lint: the installed linter finds the sleep and suggests its replacement"

DIST_PARTS += dist-lint
TEST_DIST_PARTS += test-dist-lint
