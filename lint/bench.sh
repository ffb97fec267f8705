#!/usr/bin/env bash
# Files per second of `liveness lint` against `grep -rn sleep` on the same tree, in the same run:
# the corpus copied N times (default 460, about 10,000 files), the release binary, best of 3.
# Usage: lint/bench.sh [N]   (not part of `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-460}
tree=$(mktemp -d); trap 'rm -rf "$tree"' EXIT
for i in $(seq 1 "$n"); do cp -r lint/tests/corpus "$tree/c$i"; done
find "$tree" -type f \( -name '*.md' -o -name '*.toml' \) -delete
files=$(find "$tree" -type f | wc -l)
cargo build -q --release -p liveness-lint
bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/liveness")
best() { local b=; for _ in 1 2 3; do local s e; s=$(date +%s.%N); "$@" >/dev/null || true; e=$(date +%s.%N)
  b=$(echo "$e - $s" | bc); echo "$b"; done | sort -n | head -n1; }
t_lint=$(cd "$tree" && best "$bin" lint .)
t_grep=$(cd "$tree" && best grep -rn sleep .)
printf 'files: %d\nliveness lint: %.2f s, %.0f files/s\ngrep -rn sleep: %.2f s, %.0f files/s\n' \
  "$files" "$t_lint" "$(echo "$files / $t_lint" | bc -l)" "$t_grep" "$(echo "$files / $t_grep" | bc -l)"
