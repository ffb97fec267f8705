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
