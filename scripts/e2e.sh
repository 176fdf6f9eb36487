#!/bin/sh
# make e2e: the end-to-end enforcement suite (tests/e2e/t_*.sh): a real
# sekishod and sekisho-agent per test, traffic between network namespaces
# only. Needs root; as another user it says so and counts nothing.
# Last line: "e2e: N passed, N failed"; non-zero exit when any failed.
cd "$(dirname "$0")/.." || exit 1
if [ "$(id -u)" != 0 ]; then
	echo "e2e: skipped: needs root (network namespaces, nftables)"
	echo "e2e: 0 passed, 0 failed"
	exit 0
fi
BUILD=${BUILD:-build}
for f in sekishod sekisho sekisho-agent e2e-diffprobe; do
	if [ ! -x "$BUILD/$f" ]; then
		echo "$BUILD/$f missing: run make all $BUILD/e2e-diffprobe"
		echo "e2e: 0 passed, 1 failed"
		exit 1
	fi
done
for c in ip nft nc socat ping jq; do
	if ! command -v $c >/dev/null 2>&1; then
		echo "$c missing: run make deps"
		echo "e2e: 0 passed, 1 failed"
		exit 1
	fi
done
pass=0 fail=0
out=$(mktemp)
for t in tests/e2e/t_*.sh; do
	name=$(basename "$t" .sh)
	echo "=== $name"
	BUILD=$BUILD sh "$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
	if [ -z "$line" ]; then
		echo "$name: no summary line (exit $rc): counted as 1 failure"
		fail=$((fail + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.*passed, \([0-9]*\) failed.*/\1/')
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p))
	fail=$((fail + f))
done
rm -f "$out"
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
