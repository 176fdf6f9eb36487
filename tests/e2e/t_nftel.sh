#!/bin/sh
# t_nftel: the element fast path (src/agent/nftel.c, libnftnl batches)
# against libnftables scripts on every golden ruleset, in throwaway
# anonymous namespaces (tests/e2e/nftel_check.c; no servers, no named
# namespaces, nothing to clean up). Summary line:
# "t_nftel: N passed, N failed" (the checker's own counts).
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
if [ "$(id -u)" != 0 ]; then
	echo "t_nftel: skipped (needs root for network namespaces)"
	echo "t_nftel: 0 passed, 0 failed"
	exit 0
fi
if [ ! -x "$BUILD/e2e-nftel" ]; then
	echo "$BUILD/e2e-nftel missing: run make $BUILD/e2e-nftel"
	echo "t_nftel: 0 passed, 1 failed"
	exit 1
fi
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
GOLDEN=tests/golden/fw "$BUILD/e2e-nftel" tests/golden/fw >"$out" 2>&1
rc=$?
cat "$out"
line=$(grep -E '^nftel: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
if [ -z "$line" ]; then
	echo "e2e-nftel printed no summary (exit $rc)"
	echo "t_nftel: 0 passed, 1 failed"
	exit 1
fi
p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
f=$(echo "$line" | sed 's/.*passed, \([0-9]*\) failed.*/\1/')
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
echo "t_nftel: $p passed, $f failed"
[ "$f" -eq 0 ]
