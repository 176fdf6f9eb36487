#!/bin/sh
# make test: builds everything and runs every suite; each suite ends with
# "<suite>: N passed, N failed"; the last line is the grand total.
# Suites: unit (cmocka), docs (generated docs current), sdk (official Node
# SDKs against a real server), cli, e2e (real traffic through the kernel in
# network namespaces; root), fuzz (each libFuzzer target briefly).
set -u
cd "$(dirname "$0")/.."
log=$(mktemp -d)/suites
mkdir -p "$(dirname "$log")"
total_pass=0 total_fail=0

suite() {
  name=$1; shift
  echo "=== $name"
  "$@" > "$log.$name" 2>&1; rc=$?
  cat "$log.$name"
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log.$name" | tail -1)
  if [ -z "$line" ]; then
    echo "$name: no summary line (exit $rc): counted as 1 failure"
    total_fail=$((total_fail + 1)); return
  fi
  p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
  f=$(echo "$line" | sed 's/.*passed, \([0-9]*\) failed.*/\1/')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}

docs_check() {
  if make -s check-docs; then echo "docs: 1 passed, 0 failed"
  else echo "docs: 0 passed, 1 failed"; return 1; fi
}

if ! make -s all CI="${CI:-}" ; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
suite unit make -s unit CI="${CI:-}"
suite docs docs_check
suite sdk sh scripts/sdk.sh
suite cli sh scripts/cli-test.sh
suite e2e make -s e2e CI="${CI:-}"
suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-5}" sh scripts/fuzz.sh
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
