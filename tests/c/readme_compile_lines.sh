#!/bin/sh
# Builds the C quick start with every `cc ... pkg-config ...` line of a README (my_test.c replaced
# by quickstart.c), finding liveness only through pkg-config, and runs each binary with no
# LD_LIBRARY_PATH: the lines must work as printed. The line through liveness-static must give a
# binary that does not need libliveness.so at all, and `pkg-config --static --libs liveness` must
# carry the Rust standard library's native libraries (Libs.private).
#   readme_compile_lines.sh <README.md> <quickstart.c> <tag>
set -eu
readme=$1
src=$2
tag=$3
grep '^cc .*pkg-config' "$readme" > "lines.$tag" || { echo "no pkg-config compile line in $readme"; exit 1; }
n=0
static_seen=0
while IFS= read -r line; do
    n=$((n + 1))
    bin="./quickstart_$tag.$n"
    cmd=$(printf '%s\n' "$line" | sed -e "s|my_test\.c|$src|" -e 's|[[:space:]]*#.*$||')
    echo "$readme: $cmd"
    eval "$cmd -o $bin"
    env -u LD_LIBRARY_PATH "$bin"
    case "$line" in
    *liveness-static*)
        static_seen=1
        if readelf -d "$bin" | grep -q 'NEEDED.*libliveness'; then
            echo "$bin was linked against libliveness.so, not libliveness.a"; exit 1
        fi ;;
    esac
done < "lines.$tag"
[ "$static_seen" = 1 ] || { echo "$readme shows no static (liveness-static) line"; exit 1; }
private=$(pkg-config --static --libs liveness)
for lib in -lpthread -ldl -lm -lgcc_s; do
    case " $private " in
    *" $lib "*) ;;
    *) echo "pkg-config --static --libs liveness lacks $lib: $private"; exit 1 ;;
    esac
done
echo "$n compile lines of $readme built and ran"
