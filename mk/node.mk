# The Node binding: the npm package `liveness` in bindings-node/ (napi-rs 3 addon + TypeScript API).
#
#   make node-deps     npm ci, when node_modules is missing or older than package-lock.json
#   make node-build    the napi addon (release) + the TypeScript build (dist/)
#   make node-test-build  type-checks the tests (__tests__/, TypeScript) and compiles them to
#                      test-build/, from where the child-process fixtures run with plain node
#   make node-lint     Prettier's check of the layout, then ESLint (typescript-eslint, type-aware),
#                      over lib/, __tests__/, types-test/, the .d.ts and the JavaScript (esm/,
#                      vitest/, demo/); any finding fails. `make node-format` applies the layout.
#   make test-node     the test build + the lint + Jest + Vitest + the type tests (types-test/: the
#                      whole API under node16, the Vitest augmentation alone under bundler,
#                      nodenext and nodenext as CommonJS) + a check that native.d.ts is fresh
#   make node-dts      refresh the committed bindings-node/native.d.ts after a native API change
#   make test-node-valgrind  the Worker scenarios (__tests__/fixtures/workers.fixture.ts, compiled)
#                      under valgrind: no invalid read or write (leaks are out of scope). About 25 s a
#                      scenario, 2-3 min in all: a suite of its own in `make test` (a cold
#                      `make test` took 9 min without it), kept out of test-node for quick runs.
#   make demo-node     target/demo/node.jsonl (sleep vs liveness)

NODE_DIR := $(ROOT)/bindings-node
NODE_NAPI_OUT := $(ROOT)/target/napi
NODE_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# npm writes this file at the end of every install, so it dates the installed tree.
NODE_STAMP := $(NODE_DIR)/node_modules/.package-lock.json

TEST_SUITES += test-node test-node-valgrind
DEMO_PARTS += demo-node

.PHONY: node-deps node-build node-test-build node-lint node-format node-dts test-node test-node-valgrind demo-node

node-deps: ## install the Node package's toolchain (npm ci) when node_modules is missing or stale
	@command -v npm >/dev/null 2>&1 || { \
	  echo "node-deps: installing nodejs and npm"; $(NODE_SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(NODE_SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@if [ ! -f $(NODE_STAMP) ] || [ $(NODE_DIR)/package-lock.json -nt $(NODE_STAMP) ]; then \
	  cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error; fi

node-build: node-deps ## build the Node addon (napi, release) and compile the TypeScript API
	cd $(NODE_DIR) && npx --no-install napi build --platform --release --output-dir $(NODE_NAPI_OUT) --dts native.d.ts
	@# The name lib/loader.ts looks for beside package.json (liveness.linux-x64-gnu.node, …), the
	@# one napi-rs gives each platform package's binary; liveness.node was the name before it.
	rm -f $(NODE_DIR)/liveness.node
	cp $(NODE_NAPI_OUT)/liveness.*.node $(NODE_DIR)/
	cd $(NODE_DIR) && npx --no-install tsc -p tsconfig.json

# Jest runs the tests' sources through ts-jest, which only transpiles: this is their type check. It
# also emits test-build/, one level below the package like __tests__/ (so relative paths hold),
# for the fixtures that run in a child process or under valgrind, and for the demo's scenarios.
node-test-build: node-build ## type-check the Node tests and compile them to bindings-node/test-build/
	cd $(NODE_DIR) && npx --no-install tsc -p __tests__

# Prettier first: it takes a second, ESLint's type-aware rules take 15-30 s. Those read the types
# of lib/ through dist/*.d.ts, as the tests import them.
node-lint: node-build ## Prettier's check and ESLint over the Node package's TypeScript and JavaScript; fails on any finding
	cd $(NODE_DIR) && npx --no-install prettier --check --log-level warn . || { \
	  echo "node-lint: not in Prettier's layout (the files above): run 'make node-format'"; exit 1; }
	cd $(NODE_DIR) && npx --no-install eslint --max-warnings 0 .

node-format: node-deps ## rewrite the Node package's code in Prettier's layout (what node-lint checks)
	cd $(NODE_DIR) && npx --no-install prettier --write --log-level warn .

node-dts: node-build ## refresh the committed bindings-node/native.d.ts from a fresh native build
	cp $(NODE_NAPI_OUT)/native.d.ts $(NODE_DIR)/native.d.ts

test-node: node-test-build node-lint ## Node: the tests' type check, the lint, Jest, Vitest, the type test, and the committed native.d.ts is fresh
	@diff -u $(NODE_DIR)/native.d.ts $(NODE_NAPI_OUT)/native.d.ts || { \
	  echo "bindings-node/native.d.ts differs from a fresh build: run 'make node-dts' and commit it"; exit 1; }
	cd $(NODE_DIR) && npx --no-install jest --ci
	cd $(NODE_DIR) && npx --no-install vitest run
	cd $(NODE_DIR) && npx --no-install tsc -p types-test/tsconfig.json
	cd $(NODE_DIR) && for m in bundler nodenext nodenext-cjs; do npx --no-install tsc -p types-test/tsconfig.vitest-$$m.json; done
	@echo "test-node: tests' type check, lint, Jest, Vitest, type test and native.d.ts check passed"

NODE_VALGRIND_SCENARIOS := terminate detachFromMain workerEnds terminateWhileNativeEmits severalWorkers
NODE_VALGRIND := valgrind --quiet --error-exitcode=99 --errors-for-leak-kinds=none --leak-check=no \
  --suppressions=$(NODE_DIR)/valgrind.supp

test-node-valgrind: node-test-build ## Node: the Worker scenarios under valgrind, no invalid reads or writes
	@command -v valgrind >/dev/null 2>&1 || { echo "test-node-valgrind: valgrind is not installed"; exit 1; }
	@cd $(NODE_DIR) && for s in $(NODE_VALGRIND_SCENARIOS); do \
	  echo "valgrind: workers.fixture.js $$s"; \
	  $(NODE_VALGRIND) node test-build/fixtures/workers.fixture.js $$s || { echo "test-node-valgrind: $$s failed (status $$?)"; exit 1; }; \
	done
	@echo "test-node-valgrind: $(words $(NODE_VALGRIND_SCENARIOS)) Worker scenarios clean under valgrind"

demo-node: node-test-build ## Node rows of the demo table (target/demo/node.jsonl)
	@mkdir -p $(ROOT)/target/demo
	cd $(NODE_DIR) && node demo/demo.js $(ROOT)/target/demo/node.jsonl

