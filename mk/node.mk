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
#   make demo-node     the Node door of the demo: demo/scenarios.json -> target/demo/node.json

NODE_DIR := $(ROOT)/bindings-node
NODE_NAPI_OUT := $(ROOT)/target/napi
NODE_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# npm writes this file at the end of every install, so it dates the installed tree.
NODE_STAMP := $(NODE_DIR)/node_modules/.package-lock.json

TEST_SUITES += test-node test-node-valgrind

.PHONY: node-deps node-build node-test-build node-lint node-format node-dts test-node test-node-valgrind demo-node

node-deps: $(NODE_STAMP) ## install the Node package's toolchain (npm ci) when node_modules is missing or stale

$(NODE_STAMP): $(NODE_DIR)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "node-deps: installing nodejs and npm"; $(NODE_SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(NODE_SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Stamps under target/napi, so that a second `make demo` or `make test` with nothing changed skips
# napi build (cargo's check of the addon, ~10 s here) and both tsc runs: the demo's second run
# takes only as long as its experiments. The inputs are every file the addon is built from (the
# core, the lint engine it ships as `npx liveness lint`, the binding, the manifests), lib/ for
# dist/, and __tests__/ for test-build/.
NODE_RUST_INPUTS := $(shell find $(ROOT)/core/src $(ROOT)/lint/src $(NODE_DIR)/src -type f) \
  $(wildcard $(ROOT)/Cargo.toml $(ROOT)/Cargo.lock $(ROOT)/core/Cargo.toml $(ROOT)/lint/Cargo.toml \
    $(NODE_DIR)/Cargo.toml $(NODE_DIR)/build.rs)
NODE_ADDON_STAMP := $(NODE_NAPI_OUT)/.addon-built
NODE_DIST_STAMP := $(NODE_NAPI_OUT)/.dist-built
NODE_TEST_STAMP := $(NODE_NAPI_OUT)/.test-build-built

node-build: $(NODE_ADDON_STAMP) $(NODE_DIST_STAMP) ## build the Node addon (napi, release) and compile the TypeScript API

$(NODE_ADDON_STAMP): $(NODE_RUST_INPUTS) $(NODE_STAMP)
	cd $(NODE_DIR) && npx --no-install napi build --platform --no-js --release --output-dir $(NODE_NAPI_OUT) --dts native.d.ts
	@# The name lib/loader.ts looks for beside package.json (liveness.linux-x64-gnu.node, …), the
	@# one napi-rs gives each platform package's binary; liveness.node was the name before it.
	rm -f $(NODE_DIR)/liveness.node
	cp $(NODE_NAPI_OUT)/liveness.*.node $(NODE_DIR)/
	@touch $@

$(NODE_DIST_STAMP): $(NODE_ADDON_STAMP) $(shell find $(NODE_DIR)/lib -type f) $(NODE_DIR)/tsconfig.json $(NODE_DIR)/native.d.ts
	cd $(NODE_DIR) && npx --no-install tsc -p tsconfig.json
	@touch $@

# Jest runs the tests' sources through ts-jest, which only transpiles: this is their type check. It
# also emits test-build/, one level below the package like __tests__/ (so relative paths hold),
# for the fixtures that run in a child process or under valgrind, and for the demo's scenarios.
node-test-build: $(NODE_TEST_STAMP) ## type-check the Node tests and compile them to bindings-node/test-build/

$(NODE_TEST_STAMP): $(NODE_DIST_STAMP) $(shell find $(NODE_DIR)/__tests__ -type f)
	cd $(NODE_DIR) && npx --no-install tsc -p __tests__
	@touch $@

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

# node-test-build: the demo's systems under test are the tests' (__tests__/support/scenarios.ts).
demo-node: node-test-build ## the Node door of the demo: every scenario of demo/scenarios.json (target/demo/node.json)
	cd $(NODE_DIR) && node demo/demo.js $(ROOT)/demo/scenarios.json $(ROOT)/target/demo/node.json


# The npm packages (issue 14), napi-rs's layout: @liveness-dev/liveness (the TypeScript build, no
# binary) and one package per platform in npm/<platform>/, which npm installs as an optional
# dependency where its os/cpu/libc match. This machine builds and tests linux-x64-gnu; the others
# come from .github/workflows/release.yml, which runs dist-node-pack and test-dist-node with
# DIST_PREBUILT=1 around the binary it downloaded into npm/<platform>/.
#
#   make dist-node       the linux-x64-gnu addon, stripped (--profile dist), linked against glibc
#                        2.17 by cargo-zigbuild + zig, into npm/linux-x64-gnu/; checks both
#   make dist-node-pack  npm pack of the main package and of each npm/<platform>/ holding a .node,
#                        into dist/
#   make test-dist-node  a fresh npm project (mktemp -d, no cargo on PATH) installs the two
#                        tarballs of this platform and runs bindings-node/dist-test/ with Jest
NODE_ZIGBUILD_VERSION := 0.24.1
NODE_ZIGLANG_VERSION := 0.15.2
NODE_DIST_JEST_VERSION := 30.5.2
# cargo-zigbuild and zig both come from PyPI (wheels: no 2-minute `cargo install`); the venv's
# python3 is the one cargo-zigbuild asks for `-m ziglang` when no zig is on PATH.
NODE_ZIG_VENV := $(TARGET_DIR)/tools/node-zig-$(NODE_ZIGLANG_VERSION)-$(NODE_ZIGBUILD_VERSION)
NODE_ZIG_STAMP := $(NODE_ZIG_VENV)/.installed
NODE_DIST_PLATFORM := linux-x64-gnu
NODE_DIST_BINARY := $(NODE_DIR)/npm/$(NODE_DIST_PLATFORM)/liveness.$(NODE_DIST_PLATFORM).node
# The oldest glibc the binary may need: manylinux2014's, the same floor as the wheel's.
NODE_DIST_GLIBC := 2.17
NODE_MAIN_TGZ := $(DIST_DIR)/liveness-dev-liveness-$(VERSION).tgz

.PHONY: dist-node dist-node-pack test-dist-node

$(NODE_ZIG_STAMP):
	python3 -m venv $(NODE_ZIG_VENV)
	$(NODE_ZIG_VENV)/bin/pip install -q --disable-pip-version-check \
	  ziglang==$(NODE_ZIGLANG_VERSION) cargo-zigbuild==$(NODE_ZIGBUILD_VERSION)
	touch $@

# napi's -x builds with cargo-zigbuild; the .2.17 suffix of the target is how cargo-zigbuild is
# told which glibc to link against. napi writes into its own directory under target/ (its .d.ts
# and no JS loader: ours is lib/loader.ts); the platform package gets the .node alone.
dist-node: node-deps $(NODE_ZIG_STAMP) ## Node: the linux-x64-gnu addon (stripped, glibc 2.17) into bindings-node/npm/linux-x64-gnu/
	cd $(NODE_DIR) && PATH=$(NODE_ZIG_VENV)/bin:$$PATH npx --no-install napi build --platform --no-js \
	  --profile dist --target x86_64-unknown-linux-gnu.$(NODE_DIST_GLIBC) -x --output-dir $(TARGET_DIR)/napi-dist
	cp $(TARGET_DIR)/napi-dist/liveness.$(NODE_DIST_PLATFORM).node $(NODE_DIST_BINARY)
	@newest=$$(readelf -V --wide $(NODE_DIST_BINARY) | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1); \
	if [ "$$(printf '%s\n%s\n' "$$newest" $(NODE_DIST_GLIBC) | sort -V | tail -n1)" != $(NODE_DIST_GLIBC) ]; then \
	  echo "dist-node: the addon needs GLIBC_$$newest, newer than $(NODE_DIST_GLIBC)"; exit 1; fi; \
	if readelf -S --wide $(NODE_DIST_BINARY) | grep -qE '\.(symtab|debug_)'; then \
	  echo "dist-node: the addon still has a symbol table or debug info"; exit 1; fi; \
	echo "dist-node: $(NODE_DIST_BINARY): $$(wc -c < $(NODE_DIST_BINARY)) bytes, stripped, newest symbol GLIBC_$$newest"

# A clean dist/ of the TypeScript build, so that nothing of a removed lib/ file is packed. Paths
# are relative: npm on Windows (the workflow's test-dist) does not read MSYS paths.
dist-node-pack: $(if $(DIST_PREBUILT),node-deps,dist-node) ## Node: npm pack of the main package and of each platform package with a binary, into dist/
	rm -rf $(NODE_DIR)/dist
	cd $(NODE_DIR) && npx --no-install tsc -p tsconfig.json
	@mkdir -p $(DIST_DIR)
	@# The licences are the repository's (one copy, at its root); each package names them in files.
	for dir in $(NODE_DIR) $(NODE_DIR)/npm/*/; do cp $(ROOT)/LICENSE-MIT $(ROOT)/LICENSE-APACHE "$$dir"; done
	cd $(NODE_DIR) && npm pack --pack-destination ../dist --loglevel=warn
	@cd $(NODE_DIR)/npm && packed=0; for dir in */; do \
	  if ls "$$dir"*.node >/dev/null 2>&1; then \
	    (cd "$$dir" && npm pack --pack-destination ../../../dist --loglevel=warn); packed=$$((packed + 1)); fi; \
	done; \
	[ $$packed -gt 0 ] || { echo "dist-node-pack: no npm/<platform>/ holds a .node (make dist-node, or the workflow's download)"; exit 1; }

# PATH is node's directory and the system's, checked to have no cargo; NODE_PATH is unset. The
# version and the platform the test expects come from the checkout, the rest from the tarballs.
test-dist-node: $(if $(DIST_PREBUILT),,dist-node-pack) ## Node: a fresh npm project installs the packed tarballs (no cargo on PATH) and runs a Jest test
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	platform=$$(cd $(NODE_DIR) && node -p "require('./dist/loader.js').hostPlatformName()"); \
	platform_tgz=$(DIST_DIR)/liveness-dev-liveness-$$platform-$(VERSION).tgz; \
	for f in $(NODE_MAIN_TGZ) "$$platform_tgz"; do \
	  [ -f "$$f" ] || { echo "test-dist-node: $$f is missing (make dist-node-pack)"; exit 1; }; done; \
	cp $(NODE_DIR)/dist-test/package.json $(NODE_DIR)/dist-test/*.test.js "$$tmp/"; \
	cp $(NODE_MAIN_TGZ) "$$platform_tgz" "$$tmp/"; \
	cd "$$tmp"; export PATH="$$(dirname "$$(command -v node)"):/usr/bin:/bin"; unset NODE_PATH; \
	if command -v cargo >/dev/null; then echo "test-dist-node: cargo is still on PATH ($$PATH)"; exit 1; fi; \
	npm install --no-audit --no-fund --loglevel=error --save-dev jest@$(NODE_DIST_JEST_VERSION) \
	  "./$$(basename $(NODE_MAIN_TGZ))" "./$$(basename "$$platform_tgz")"; \
	LIVENESS_EXPECTED_VERSION=$(VERSION) LIVENESS_EXPECTED_PLATFORM=$$platform npx --no-install jest --ci; \
	echo "test-dist-node: @liveness-dev/liveness + its $$platform package, installed from dist/, pass a user's Jest test"

DIST_PARTS += dist-node-pack
TEST_DIST_PARTS += test-dist-node
