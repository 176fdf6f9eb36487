#!/bin/sh
# The differential test (issue 5 item 6): random rule sets applied by the
# agent (desired-file mode: no API round trips between rounds), then
# random TCP/UDP/ICMP/GRE probes between the test's instances and outside
# hosts; the kernel's verdict must equal the engine's (src/sg/eng.h) on
# every probe. DIFF_ROUNDS x DIFF_PROBES (default 4 x 2500); DIFF_SEED
# repeats a run.
# shellcheck disable=SC2034  # AGENT_PID: stopped by lib.sh's trap
. "$(dirname "$0")/lib.sh"

[ -x "$PROBE" ] || die "$BUILD/e2e-diffprobe missing: make $BUILD/e2e-diffprobe"
O=""
for k in 1 2 3; do
	outside d$k$TAG 198.18.77.1$k
	O="$O --outside d$k$TAG=198.18.77.1$k"
done
"$AGENT" --netns "$HOSTNS" --desired-file "$T/desired.json" \
    --status-file "$T/status.json" --state-dir "$T/state" \
    >>"$T/agent.log" 2>&1 &
AGENT_PID=$!
# shellcheck disable=SC2086
"$PROBE" --tag "$TAG" --desired "$T/desired.json" --status "$T/status.json" \
    --rounds "${DIFF_ROUNDS:-4}" --probes "${DIFF_PROBES:-2500}" \
    ${DIFF_SEED:+--seed $DIFF_SEED} $O >"$T/probe.out" 2>&1
rc=$?
cat "$T/probe.out"
line=$(grep '^diffprobe: [0-9]* passed' "$T/probe.out")
p=$(echo "$line" | sed 's/diffprobe: \([0-9]*\) passed.*/\1/')
f=$(echo "$line" | sed 's/.*passed, \([0-9]*\) failed/\1/')
if [ -z "$line" ]; then
	nok "diffprobe ran (exit $rc)"
	tail -20 "$T/agent.log"
elif [ "$f" -eq 0 ] && [ "$rc" -eq 0 ]; then
	ok "kernel == engine on all $p probes"
else
	nok "kernel != engine on $f of $((p + f)) probes"
	tail -5 "$T/agent.log"
fi
finish
