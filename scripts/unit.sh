#!/bin/sh
# Runs each cmocka unit-test binary given as argument; prints the totals
# as the last line "unit: N passed, N failed" and fails if any test failed.
pass=0 fail=0
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  pass=$((pass + ${p:-0}))
  fail=$((fail + ${f:-0}))
  if [ "$rc" -ne 0 ] && [ -z "$f" ]; then fail=$((fail + 1)); fi  # crashed
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
