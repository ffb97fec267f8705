# The C binding: libliveness.so/.a + include/liveness.h + liveness.pc + CMake package config, and the
# C / C++ / Go suites that use them exactly as a user would (through `make install`).
#
#   make c-lib                 build target/release/libliveness.{so,a}
#   make install PREFIX=/opt/x install header, libraries, liveness.pc, lib/cmake/liveness/
#   make header                regenerate the committed include/liveness.h
#   make test-c                header drift check, CTest suite (plain C, cmocka, GoogleTest),
#                              the same suite under AddressSanitizer, and `go test` through cgo
#   make demo-c                target/demo/c.jsonl (sleep vs liveness, C scenarios)

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
DEMO_PARTS += demo-c

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

install: c-lib ## install header, libliveness.{so,a}, liveness.pc and the CMake package (PREFIX=/usr/local)
	@set -e; p="$(abspath $(PREFIX))"; \
	install -d "$$p/include" "$$p/lib/pkgconfig" "$$p/lib/cmake/liveness"; \
	install -m 644 $(addprefix $(ROOT)/include/,$(C_HEADERS)) "$$p/include/"; \
	install -m 644 $(C_LIBDIR)/libliveness.a "$$p/lib/libliveness.a"; \
	install -m 755 $(C_LIBDIR)/libliveness.so "$$p/lib/libliveness.so.$(C_VERSION)"; \
	ln -sf "libliveness.so.$(C_VERSION)" "$$p/lib/libliveness.so.$(C_SOVERSION)"; \
	ln -sf "libliveness.so.$(C_SOVERSION)" "$$p/lib/libliveness.so"; \
	subst() { sed -e "s|@PREFIX@|$$p|g" -e "s|@VERSION@|$(C_VERSION)|g" \
	  -e "s|@VERSION_MAJOR@|$(C_VERSION_MAJOR)|g" -e "s|@VERSION_MINOR@|$(C_VERSION_MINOR)|g" \
	  -e "s|@SOVERSION@|$(C_SOVERSION)|g" -e "s|@NATIVE_STATIC_LIBS@|$(C_NATIVE_STATIC_LIBS)|g" "$$1" > "$$2"; }; \
	subst $(ROOT)/capi/pkg/liveness.pc.in "$$p/lib/pkgconfig/liveness.pc"; \
	subst $(ROOT)/capi/pkg/liveness-static.pc.in "$$p/lib/pkgconfig/liveness-static.pc"; \
	subst $(ROOT)/capi/pkg/livenessConfig.cmake.in "$$p/lib/cmake/liveness/livenessConfig.cmake"; \
	subst $(ROOT)/capi/pkg/livenessConfigVersion.cmake.in "$$p/lib/cmake/liveness/livenessConfigVersion.cmake"; \
	if [ "$$p" = /usr/local ] || [ "$$p" = /usr ]; then ldconfig 2>/dev/null || true; fi; \
	echo "installed liveness $(C_VERSION) into $$p"

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

test-c-go: c-deps c-stage
	@if command -v go >/dev/null 2>&1; then \
	  cd $(ROOT)/tests/go && PKG_CONFIG_PATH=$(C_STAGE)/lib/pkgconfig LD_LIBRARY_PATH=$(C_STAGE)/lib \
	    CGO_ENABLED=1 go test -count=1 ./...; \
	else echo "test-c-go: go is not installed; the cgo suite (tests/go) was not run"; fi

demo-c: c-deps c-stage ## C rows of the demo table: target/demo/c.jsonl
	cmake -S $(ROOT)/tests/c -B $(C_BUILD_DEMO) -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=$(C_STAGE) \
	  -DLIVENESS_CONFORMANCE_DIR=$(ROOT)/tests/conformance >/dev/null
	cmake --build $(C_BUILD_DEMO) -j2 --target liveness_c_demo >/dev/null
	@mkdir -p $(ROOT)/target/demo
	$(C_BUILD_DEMO)/liveness_c_demo > $(ROOT)/target/demo/c.jsonl
	@cat $(ROOT)/target/demo/c.jsonl
