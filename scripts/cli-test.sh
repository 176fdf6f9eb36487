#!/bin/sh
# Runs the CLI black-box tests against build/: tests/cli/cli_test.sh (the
# generic call, signing, credentials), tests/cli/sg_test.sh (the resource
# commands) and tests/cli/eng_test.sh (explain, rules, reach, analyze).
# Each file's own summary line is folded into one:
# the last line is "cli: N passed, N failed"; non-zero exit when any failed
# or a file ended without its summary.
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp "${TMPDIR:-/tmp}/sekisho-cli-test.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
pass=0
fail=0
for f in tests/cli/cli_test.sh tests/cli/sg_test.sh tests/cli/eng_test.sh; do
	echo "--- $f"
	sh "$f" "$@" >"$out" 2>&1
	rc=$?
	grep -v -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' "$out"
	line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
	if [ -z "$line" ]; then
		echo "--- $f: no summary line (exit $rc): counted as 1 failure"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
	n=$(echo "$line" | sed 's/.*passed, \([0-9]*\) failed.*/\1/')
	[ "$rc" -ne 0 ] && [ "$n" -eq 0 ] && n=1
	echo "--- $f: $p passed, $n failed"
	pass=$((pass + p))
	fail=$((fail + n))
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
