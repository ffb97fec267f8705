#!/bin/sh
# One progress line for a step of `make demo`; the step's own output (cargo, cmake, npm, maturin)
# goes to LOG, which is named, with its last lines, when the step fails: a newcomer sees the story,
# not the build.
#   demo/quietly.sh LABEL LOG COMMAND...
label=$1 log=$2
shift 2
mkdir -p "$(dirname "$log")"
printf '%s ... ' "$label"
start=$(date +%s)
if "$@" >"$log" 2>&1; then
  echo "done in $(( $(date +%s) - start )) s"
else
  status=$?
  echo "FAILED (exit $status) after $(( $(date +%s) - start )) s; the whole log: $log"
  tail -n 20 "$log" | sed 's/^/  | /'
  exit "$status"
fi
