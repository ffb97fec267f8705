#!/bin/sh
# What a C user does with the release tarball, run by `make test-dist-c` under
# `env -i PATH=/usr/bin:/bin` in a temporary directory: build this project against the extracted
# tarball with CMake and run its tests with ctest, then compile the same test with the README's
# two pkg-config lines and run each once.
#   check.sh EXTRACTED_DIR VERSION
set -eu
pfx=$1
version=$2
here=$(cd "$(dirname "$0")" && pwd)
if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1; then
    echo "test-dist-c: a Rust toolchain is on PATH ($PATH); the check must run without one"; exit 1
fi

cmake -S "$here" -B "$here/build" -DCMAKE_PREFIX_PATH="$pfx" -DLIVENESS_EXPECTED_VERSION="$version" >/dev/null
cmake --build "$here/build" -j2 >/dev/null
(cd "$here/build" && ctest --output-on-failure --timeout 120)

export PKG_CONFIG_PATH="$pfx/lib/pkgconfig"
cd "$here"
def="-DLIVENESS_EXPECTED_VERSION=\"$version\""
# shellcheck disable=SC2046 # pkg-config's output is a list of flags
cc -std=c11 "$def" test_dist.c $(pkg-config --cflags --libs liveness) \
    -Wl,-rpath,"$(pkg-config --variable=libdir liveness)" -o pc_shared
./pc_shared all
# shellcheck disable=SC2046
cc -std=c11 "$def" test_dist.c $(pkg-config --static --cflags --libs liveness-static) -o pc_static
./pc_static all
if readelf -d pc_static | grep -q 'NEEDED.*libliveness'; then
    echo "pc_static was linked against libliveness.so, not libliveness.a"; exit 1
fi
echo "test-dist-c: pkg-config builds (liveness, liveness-static --static) passed"
