# Release plumbing shared by every binding: the release workflow's lint, and one version everywhere.
#
#   make lint-workflows     actionlint on .github/workflows/ (actionlint from the Go module proxy)
#   make version V=x.y.z    set the version of every package (Cargo, npm main + platform packages,
#                           the lock files; Python and the C .pc derive theirs from Cargo)

ACTIONLINT_VERSION := v1.7.12
TOOLS_DIR := $(TARGET_DIR)/tools
ACTIONLINT := $(TOOLS_DIR)/bin/actionlint-$(ACTIONLINT_VERSION)

.PHONY: lint-workflows version test-version-script

$(ACTIONLINT):
	@command -v go >/dev/null || { echo "lint-workflows: needs Go (the machine's go, for the Go module proxy)"; exit 1; }
	GOBIN=$(TOOLS_DIR)/bin go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	mv $(TOOLS_DIR)/bin/actionlint $@

lint-workflows: $(ACTIONLINT) ## lint the GitHub Actions workflows with actionlint
	$(ACTIONLINT) -no-color $(ROOT)/.github/workflows/*.yml

version: ## set one version everywhere: make version V=x.y.z
	@[ -n "$(V)" ] || { echo "usage: make version V=x.y.z"; exit 2; }
	node $(ROOT)/scripts/set-version.mjs $(V)
	$(CARGO) update -q --workspace --offline
	@echo "version $(V): run make test, add the CHANGELOG section, then tag v$(V)"

TEST_DIST_PARTS += lint-workflows

# Every package at the workspace version, and `make version` on a copy of the files it edits
# sets them all (the bindings' own tests compare their runtime version with the workspace's).
test-version-script:
	node $(ROOT)/scripts/check-versions.mjs $(ROOT)
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/scripts" "$$tmp/bindings-node"; \
	cp $(ROOT)/Cargo.toml "$$tmp/"; cp $(ROOT)/scripts/*.mjs "$$tmp/scripts/"; \
	cp $(ROOT)/bindings-node/package.json $(ROOT)/bindings-node/package-lock.json "$$tmp/bindings-node/"; \
	if [ -d $(ROOT)/bindings-node/npm ]; then cp -r $(ROOT)/bindings-node/npm "$$tmp/bindings-node/"; fi; \
	node "$$tmp/scripts/set-version.mjs" 9.8.7-rc.1 >/dev/null; \
	node "$$tmp/scripts/check-versions.mjs" "$$tmp" 9.8.7-rc.1

TEST_DIST_PARTS += test-version-script
