#!/usr/bin/env bash
# Runs every test (unit and integration: real gcc, real gRPC, real Orleans) and ends with one line
# "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --tests || exit 1

results=TestResults
rm -rf "$results"
dotnet test Kernelsmith.slnx -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  executed=$(value executed); total=$(value total)
  skipped=$((skipped + total - executed))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before any test could report.
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
