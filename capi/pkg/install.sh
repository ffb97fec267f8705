#!/bin/sh
# Installs the C library of liveness into a prefix: the headers, libliveness.so with its SONAME
# links, libliveness.a, liveness.pc / liveness-static.pc and the CMake package. The one recipe
# behind both `make install` and the release tarball (`make dist-c`), so that what a user
# installs from a checkout and what the tarball holds cannot differ.
#
#   install.sh PREFIX LIBDIR VERSION NATIVE_STATIC_LIBS HEADER...
#
# LIBDIR is where cargo put libliveness.{so,a} (target/release, target/dist); HEADER are names
# under include/ of the repository. Every file written is relocatable: the .pc files find the
# prefix from their own place (${pcfiledir}) and the CMake config from its own directory, so the
# prefix can be moved (or be an extracted tarball) after the install.
set -eu
[ $# -ge 5 ] || { echo "usage: $0 PREFIX LIBDIR VERSION NATIVE_STATIC_LIBS HEADER..." >&2; exit 2; }
prefix=$1 libdir=$2 version=$3 native_static_libs=$4
shift 4
root=$(cd "$(dirname "$0")/../.." && pwd)
pkg="$root/capi/pkg"

major=$(echo "$version" | cut -d. -f1)
minor=$(echo "$version" | cut -d. -f2)
# Before 1.0 a minor release may break the ABI, so the SONAME carries major.minor (capi/build.rs
# links it in; it must agree with the links below).
if [ "$major" = 0 ]; then soversion="0.$minor"; else soversion=$major; fi

install -d "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/liveness"
for h in "$@"; do install -m 644 "$root/include/$h" "$prefix/include/"; done
install -m 644 "$libdir/libliveness.a" "$prefix/lib/libliveness.a"
install -m 755 "$libdir/libliveness.so" "$prefix/lib/libliveness.so.$version"
ln -sf "libliveness.so.$version" "$prefix/lib/libliveness.so.$soversion"
ln -sf "libliveness.so.$soversion" "$prefix/lib/libliveness.so"

subst() {
    sed -e "s|@VERSION@|$version|g" -e "s|@VERSION_MAJOR@|$major|g" -e "s|@VERSION_MINOR@|$minor|g" \
        -e "s|@SOVERSION@|$soversion|g" -e "s|@NATIVE_STATIC_LIBS@|$native_static_libs|g" "$1" > "$2"
    chmod 644 "$2"
}
subst "$pkg/liveness.pc.in" "$prefix/lib/pkgconfig/liveness.pc"
subst "$pkg/liveness-static.pc.in" "$prefix/lib/pkgconfig/liveness-static.pc"
subst "$pkg/livenessConfig.cmake.in" "$prefix/lib/cmake/liveness/livenessConfig.cmake"
subst "$pkg/livenessConfigVersion.cmake.in" "$prefix/lib/cmake/liveness/livenessConfigVersion.cmake"
# The loader's cache knows the new SONAME only after ldconfig (system prefixes only).
if [ "$prefix" = /usr/local ] || [ "$prefix" = /usr ]; then ldconfig 2>/dev/null || true; fi
echo "installed liveness $version into $prefix"
