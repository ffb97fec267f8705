# The C binding: libliveness.so/.a + include/liveness.h + liveness.pc + CMake package config, and the
# C / C++ / Go suites that use them exactly as a user would (through `make install`).
#
#   make c-lib                 build target/release/libliveness.{so,a}
#   make install PREFIX=/opt/x install header, libraries, liveness.pc, lib/cmake/liveness/
#   make header                regenerate the committed include/liveness.h
#   make test-c                header drift check, CTest suite (plain C, cmocka, GoogleTest),
#                              the same suite under AddressSanitizer, and `go test` through cgo
#   make demo-c                the C door of the demo: demo/scenarios.json -> target/demo/c.json
#   make dist-c                dist/liveness-VERSION-TRIPLE.tar.gz, the relocatable release tarball
#   make test-dist-c           a C project built against only the extracted tarball (ctest, pkg-config)

PREFIX ?= /usr/local
C_PROFILE := release
# Everything the C binding builds goes under the Cargo target directory, so that two checkouts (or
# two sessions with their own CARGO_TARGET_DIR) never install into each other's prefix.
C_OUT := $(TARGET_DIR)
C_LIBDIR := $(C_OUT)/$(C_PROFILE)
C_STAGE := $(C_OUT)/c-prefix
C_BUILD := $(C_OUT)/c-build
C_BUILD_ASAN := $(C_OUT)/c-build-asan
C_BUILD_DEMO := $(C_OUT)/c-build-demo
C_VERSION := $(VERSION)
C_VERSION_MAJOR := $(word 1,$(subst ., ,$(C_VERSION)))
C_VERSION_MINOR := $(word 2,$(subst ., ,$(C_VERSION)))
C_SOVERSION := $(if $(filter 0,$(C_VERSION_MAJOR)),0.$(C_VERSION_MINOR),$(C_VERSION_MAJOR))
# What the Rust standard library inside libliveness.a needs from the system on Linux (from
# `cargo rustc --crate-type staticlib -- --print native-static-libs`; checked by the static-link
# test of the C suite).
C_NATIVE_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
# The installed headers: the ABI (generated), the inline-expression macros and the adapters of
# cmocka, Unity and GoogleTest (hand-written, over the ABI).
C_HEADERS := liveness.h liveness_assert.h liveness_cmocka.h liveness_unity.h liveness_gtest.h
# Debian packages the C suites need; installed only when missing.
C_APT_PACKAGES := cmake pkg-config gcc g++ make libcmocka-dev libgtest-dev libcjson-dev
C_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
C_CTEST_FLAGS := --output-on-failure -j2 --timeout 300

TEST_SUITES += test-c

.PHONY: c-deps c-lib c-stage install header test-c test-c-header test-c-ctest test-c-asan test-c-go demo-c

c-deps: ## install the Debian packages the C suites need (cmake, cmocka, GoogleTest, cJSON), when missing
	@missing=""; for p in $(C_APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "c-deps: installing$$missing"; \
	  $(C_SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(C_SUDO) apt-get install -y -qq $$missing >/dev/null; fi

c-lib: ## build the C libraries target/release/libliveness.{so,a} (and check include/liveness.h is fresh)
	$(CARGO) build -q --release -p liveness-capi

header: ## regenerate the committed C header include/liveness.h from capi/src
	LIVENESS_UPDATE_HEADER=1 $(CARGO) test -q --release -p liveness-capi --test header

# capi/pkg/install.sh is the one install recipe: `make install` and the release tarball
# (`make dist-c`) both run it, so they lay out the same files.
#   $(call c_install,PREFIX,LIBDIR)
c_install = sh $(ROOT)/capi/pkg/install.sh "$(1)" "$(2)" $(C_VERSION) "$(C_NATIVE_STATIC_LIBS)" $(C_HEADERS)

install: c-lib ## install header, libliveness.{so,a}, liveness.pc and the CMake package (PREFIX=/usr/local)
	@$(call c_install,$(abspath $(PREFIX)),$(C_LIBDIR))

test-c: test-c-header test-c-ctest test-c-asan test-c-go ## C ABI: header check, CTest (C, cmocka, GoogleTest, conformance), ASan run, go test
	@echo "test-c: C suites passed"

# The header drift check, and the capi crate's own tests of the C boundary (panics caught,
# status names, version).
test-c-header: c-lib
	$(CARGO) test -q --release -p liveness-capi --test header
	$(CARGO) test -q --release -p liveness-capi --lib

# The suites find liveness the way users do: through the installed CMake package / liveness.pc.
c-stage: c-lib
	@$(MAKE) --no-print-directory install PREFIX=$(C_STAGE) >/dev/null

test-c-ctest: c-deps c-stage
	cmake -S $(ROOT)/tests/c -B $(C_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH=$(C_STAGE) \
	  -DLIVENESS_CONFORMANCE_DIR=$(ROOT)/tests/conformance >/dev/null
	cmake --build $(C_BUILD) -j2 >/dev/null
	cd $(C_BUILD) && PKG_CONFIG_PATH=$(C_STAGE)/lib/pkgconfig ctest $(C_CTEST_FLAGS)

test-c-asan: c-deps c-stage
	cmake -S $(ROOT)/tests/c -B $(C_BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH=$(C_STAGE) \
	  -DLIVENESS_CONFORMANCE_DIR=$(ROOT)/tests/conformance -DLIVENESS_SANITIZE=ON >/dev/null
	cmake --build $(C_BUILD_ASAN) -j2 >/dev/null
	cd $(C_BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 PKG_CONFIG_PATH=$(C_STAGE)/lib/pkgconfig \
	  ctest $(C_CTEST_FLAGS)

# Go's build cache does not hash headers found through pkg-config: an object compiled against an
# older liveness.h (a smaller liveness_options) would be reused and pass garbage lengths to the new
# library. The header's hash in CGO_CFLAGS is part of the cache key, so a header change recompiles.
test-c-go: c-deps c-stage
	@if command -v go >/dev/null 2>&1; then \
	  cd $(ROOT)/tests/go && PKG_CONFIG_PATH=$(C_STAGE)/lib/pkgconfig LD_LIBRARY_PATH=$(C_STAGE)/lib \
	    CGO_ENABLED=1 CGO_CFLAGS="-g -O2 -DLIVENESS_HEADER_SHA=$$(sha256sum $(ROOT)/include/liveness.h | cut -c1-16)" \
	    go test -count=1 ./...; \
	else echo "test-c-go: go is not installed; the cgo suite (tests/go) was not run"; fi

demo-c: c-deps c-stage ## the C door of the demo: every scenario of demo/scenarios.json (target/demo/c.json)
	cmake -S $(ROOT)/tests/c -B $(C_BUILD_DEMO) -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=$(C_STAGE) \
	  -DLIVENESS_CONFORMANCE_DIR=$(ROOT)/tests/conformance >/dev/null
	cmake --build $(C_BUILD_DEMO) -j2 --target liveness_c_demo >/dev/null
	@mkdir -p $(ROOT)/target/demo
	$(C_BUILD_DEMO)/liveness_c_demo $(ROOT)/demo/scenarios.json $(ROOT)/target/demo/c.json

# The release tarball: what `make install` lays out (capi/pkg/install.sh), from the `dist`
# profile, with the licences and a README, under one top directory liveness-VERSION-TRIPLE/.
# TRIPLE is the GNU name of the host (x86_64-linux-gnu): cargo's host triple without its vendor,
# or the C compiler's when there is no cargo (DIST_PREBUILT on a machine that only tests).
C_TRIPLE = $(eval C_TRIPLE := $$(or $$(shell $(CARGO) -vV 2>/dev/null | sed -n 's/^host: //p' | sed 's/-unknown-/-/'),$$(shell cc -dumpmachine)))$(C_TRIPLE)
C_DIST_NAME = liveness-$(C_VERSION)-$(C_TRIPLE)
C_DIST_TARBALL = $(DIST_DIR)/$(C_DIST_NAME).tar.gz
C_DIST_STAGE := $(C_OUT)/c-dist
C_DIST_LIBDIR := $(C_OUT)/dist
# Reproducible archive: the files' times are the last commit's, owners are root.
# profile.dist's strip applies to what rustc links (the .so, checked stripped and for its SONAME);
# the archive keeps the debug info of the Rust standard library and the LLVM bitcode (.llvmbc,
# .llvmcmd) its objects carry for LTO, which no C linker reads: both are dropped here.
C_DIST_EPOCH = $(or $(SOURCE_DATE_EPOCH),$(shell git -C $(ROOT) log -1 --format=%ct 2>/dev/null),0)

.PHONY: dist-c test-dist-c

dist-c: ## C: dist/liveness-VERSION-TRIPLE.tar.gz (headers, .so + SONAME links, .a, .pc, CMake package; relocatable)
	$(CARGO) build -q --profile dist -p liveness-capi
	@set -e; stage="$(C_DIST_STAGE)/$(C_DIST_NAME)"; rm -rf "$(C_DIST_STAGE)"; \
	$(call c_install,$$stage,$(C_DIST_LIBDIR)) >/dev/null; \
	so="$$stage/lib/libliveness.so.$(C_VERSION)"; a="$$stage/lib/libliveness.a"; \
	readelf -d "$$so" | grep "(SONAME).*\[libliveness.so.$(C_SOVERSION)\]" >/dev/null || { \
	  echo "dist-c: $$so does not have the SONAME libliveness.so.$(C_SOVERSION)"; readelf -d "$$so"; exit 1; }; \
	if readelf -S "$$so" | grep -E ' \.(debug_|symtab)' >/dev/null; then echo "dist-c: $$so is not stripped"; exit 1; fi; \
	a_before=$$(stat -c %s "$$a"); \
	strip --strip-debug "$$a"; \
	if objdump -h "$$a" | grep -E ' \.llvm(bc|cmd) ' >/dev/null; then \
	  objcopy --remove-section=.llvmbc --remove-section=.llvmcmd "$$a"; fi; \
	if objdump -h "$$a" | grep -E ' \.(debug_[a-z]+|llvmbc|llvmcmd) ' >/dev/null; then \
	  echo "dist-c: $$a still carries debug info or LLVM bitcode"; exit 1; fi; \
	install -m 644 $(ROOT)/LICENSE-MIT $(ROOT)/LICENSE-APACHE "$$stage/"; \
	sed -e "s|@VERSION@|$(C_VERSION)|g" -e "s|@TRIPLE@|$(C_TRIPLE)|g" -e "s|@SOVERSION@|$(C_SOVERSION)|g" \
	  -e "s|@VERSION_MAJOR@|$(C_VERSION_MAJOR)|g" -e "s|@VERSION_MINOR@|$(C_VERSION_MINOR)|g" \
	  $(ROOT)/capi/pkg/README.dist.in > "$$stage/README"; chmod 644 "$$stage/README"; \
	mkdir -p $(DIST_DIR); \
	tar --sort=name --mtime=@$(C_DIST_EPOCH) --owner=0 --group=0 --numeric-owner \
	  -C "$(C_DIST_STAGE)" -cf - "$(C_DIST_NAME)" | gzip -n -9 > "$(C_DIST_TARBALL)"; \
	echo "dist-c: $(C_DIST_TARBALL) ($$(stat -c %s "$(C_DIST_TARBALL)") bytes;" \
	  "libliveness.so $$(stat -c %s "$$so"), libliveness.a $$a_before -> $$(stat -c %s "$$a") bytes stripped;" \
	  "SONAME $$(readelf -d "$$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'))"

# The tarball extracted in a temporary directory and used as a C user would: a CMake project
# (capi/dist-check, copied out of the checkout) with find_package(liveness) and ctest, and the
# README's pkg-config lines, under `env -i PATH=/usr/bin:/bin` (no cargo, nothing of the checkout).
test-dist-c: c-deps $(if $(DIST_PREBUILT),,dist-c) ## C: build and ctest a C project against only the extracted tarball
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tops=$$(tar -tzf "$(C_DIST_TARBALL)" | cut -d/ -f1 | sort -u); \
	[ "$$tops" = "$(C_DIST_NAME)" ] || { echo "test-dist-c: top directories of the tarball: $$tops"; exit 1; }; \
	tar -xzf "$(C_DIST_TARBALL)" -C "$$tmp"; \
	cp -r $(ROOT)/capi/dist-check "$$tmp/project"; \
	env -i PATH=/usr/bin:/bin HOME="$$tmp" sh "$$tmp/project/check.sh" "$$tmp/$(C_DIST_NAME)" $(C_VERSION)

DIST_PARTS += dist-c
TEST_DIST_PARTS += test-dist-c
