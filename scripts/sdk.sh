#!/bin/sh
# SDK black-box suite: the official Alibaba Node.js clients (tests/sdk)
# against real build/sekishod processes (one per test file, started by
# tests/sdk/harness.js). Installs tests/sdk/node_modules with `npm ci` when
# it is missing or was installed from another package-lock.json, runs
# node's built-in test runner with the TAP reporter (kept in
# build/sdk-tests.tap and shown), and prints as its last line
# "sdk: N passed, N failed". Fails on any failure or if no test ran.
# Tests pinning a reported, unfixed server bug are TODO (see knownBug() in
# tests/sdk/harness.js) and are listed, not counted; SDK_STRICT=1 counts them.
# Extra arguments go to `node --test` (e.g. --test-name-pattern=VPC).
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
dir=tests/sdk
tap=${SDK_TAP:-$root/build/sdk-tests.tap}

summary() {
  echo "sdk: $1 passed, $2 failed"
}

if [ ! -x build/sekishod ]; then
  echo "build/sekishod is missing: run make first" >&2
  summary 0 1
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm not found (scripts/deps.sh installs them)" >&2
  summary 0 1
  exit 1
fi

# npm ci when node_modules is absent or stale (lock file changed).
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
have=$(cat "$dir/node_modules/.sekisho-lock-sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  echo "npm ci in $dir"
  if ! (cd "$dir" && npm ci --no-audit --no-fund); then
    echo "npm ci failed" >&2
    summary 0 1
    exit 1
  fi
  echo "$want" > "$dir/node_modules/.sekisho-lock-sha256"
fi

mkdir -p "$(dirname "$tap")"
rcfile=$(mktemp)
# Test files run in parallel, each with its own server; a hung test is cut
# off by --test-timeout instead of stalling CI.
{
  (cd "$dir" && SEKISHOD="$root/build/sekishod" node --test \
    --test-reporter=tap --test-timeout=60000 "$@" ./*.test.js)
  echo $? > "$rcfile"
} 2>&1 | tee "$tap"
rc=$(cat "$rcfile")
rm -f "$rcfile"

count() {
  n=$(grep -E "^# $1 [0-9]+$" "$tap" | tail -1 | sed 's/^# [a-z]* //')
  echo "${n:-0}"
}
pass=$(count pass)
fail=$(( $(count fail) + $(count cancelled) ))
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
  fail=1  # the runner itself failed (crash, bad arguments)
fi
if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
  echo "no SDK test ran" >&2
  fail=1
fi
# Tests marked knownBug() (a reported server bug) run as TODO: listed here,
# not counted; SDK_STRICT=1 makes them count.
todo_open=$(grep -cE '^not ok .* # TODO' "$tap")
todo_fixed=$(grep -cE '^ok .* # TODO' "$tap")
if [ "$todo_open" -gt 0 ] || [ "$todo_fixed" -gt 0 ]; then
  echo "sdk: known server bugs: $todo_open still open, $todo_fixed now" \
    "passing (drop knownBug() from those)"
fi
summary "$pass" "$fail"
[ "$fail" -eq 0 ]
