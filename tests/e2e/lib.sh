# shellcheck shell=sh disable=SC2034
# tests/e2e/lib.sh — sourced by every tests/e2e/t_*.sh (root only).
#
# Each test starts its own sekishod (temporary data dir, 127.0.0.1, a free
# port) and its own sekisho-agent on a test-unique host namespace, creates
# resources through the CLI (raw API actions), and checks real traffic
# between namespaces with nc / ping. Everything the test creates — the
# host namespace, the instance namespaces (named by InstanceId), outside
# hosts, processes — is removed by the EXIT trap, also on failure.
# Summary line: "<test>: N passed, N failed".
set -u

BUILD=${BUILD:-build}
TNAME=$(basename "$0" .sh)
TAG=$(printf '%x%04x' "$$" "$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')")
HOSTNS=skh-$TAG
T=$(mktemp -d "${TMPDIR:-/tmp}/sekisho-e2e.XXXXXX") || exit 1
PASS=0
FAIL=0
PIDS=""
AGENT_PID=""
SRV_PID=""
OUTSIDE=""
REGION=cn-hangzhou

e2e_cleanup() {
	[ -n "${E2E_KEEP_LOG:-}" ] && cp "$T/agent.log" "$E2E_KEEP_LOG.$TNAME" 2>/dev/null
	for p in $PIDS $AGENT_PID $SRV_PID; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS $AGENT_PID $SRV_PID; do
		wait "$p" 2>/dev/null
	done
	# Instance namespaces this test's agent made (lo alias) or recorded.
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case $ns in
		i-*) if ip -n "$ns" -j link show lo 2>/dev/null |
			    grep -q "\"ifalias\":\"sekisho:$HOSTNS\""; then
				ip netns del "$ns"
			fi ;;
		esac
	done
	for ns in $OUTSIDE $HOSTNS; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$T"
}
trap e2e_cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" != 0 ]; then
	echo "$TNAME: skipped (needs root for network namespaces)"
	echo "$TNAME: 0 passed, 0 failed"
	exit 0
fi

# Private copies: a rebuild during the run must not swap binaries under
# the test (an agent restart would then meet another compiler's tables).
mkdir -p "$T/bin"
for b in sekishod sekisho sekisho-agent e2e-diffprobe; do
	[ -x "$BUILD/$b" ] && cp "$BUILD/$b" "$T/bin/$b"
done
SRV=$T/bin/sekishod
CLI=$T/bin/sekisho
AGENT=$T/bin/sekisho-agent
PROBE=$T/bin/e2e-diffprobe

ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
nok() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }

# expect DESC COMMAND...: passes when COMMAND exits 0.
expect() {
	d=$1
	shift
	if "$@"; then
		ok "$d"
	else
		nok "$d"
		if [ -n "${E2E_DEBUG:-}" ]; then
			sleep 1
			if "$@"; then echo "    (passes 1 s later)"; fi
			nft_host list ruleset >"/tmp/e2e-fail-$TNAME-$PASS.nft" 2>&1
			cp "$T/agent.log" "/tmp/e2e-fail-$TNAME-$PASS.log"
		fi
	fi
}

# refuse DESC COMMAND...: passes when COMMAND fails.
refuse() {
	d=$1
	shift
	if "$@"; then nok "$d"; else ok "$d"; fi
}

finish() {
	echo "$TNAME: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}

die() {
	echo "FAIL - $*"
	[ -f "$T/agent.log" ] && tail -20 "$T/agent.log" | sed 's/^/    agent: /'
	FAIL=$((FAIL + 1))
	finish
}

# ---- server and API ------------------------------------------------------

start_server() {
	mkdir -p "$T/data"
	env SEKISHO_ROOT_ACCESS_KEY_ID=AKIDEXAMPLE \
	    SEKISHO_ROOT_ACCESS_KEY_SECRET=SECRETEXAMPLE "$SRV" \
	    --listen 127.0.0.1:0 --port-file "$T/port" --data-dir "$T/data" \
	    --log-level warn "$@" >"$T/server.log" 2>&1 &
	SRV_PID=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$T/port" ] || die "sekishod did not start: $(cat "$T/server.log")"
	PORT=$(cat "$T/port")
	EP=http://127.0.0.1:$PORT
}

# api PRODUCT ACTION [--Name value]...: JSON answer in $T/out; exit status
# of the CLI. REGION is added for ecs/vpc calls that take it.
api() {
	"$CLI" --endpoint "$EP" --access-key-id AKIDEXAMPLE \
	    --access-key-secret SECRETEXAMPLE "$@" >"$T/out" 2>"$T/err"
}

# must PRODUCT ACTION ...: api, or the test dies.
must() {
	api "$@" || die "$2 failed: $(cat "$T/out" "$T/err")"
}

jget() { jq -r "$1" "$T/out"; }

# The agent's own key (GetHostDesiredState is the agent's).
agent_api() {
	"$CLI" --endpoint "$EP" \
	    --access-key-id "$(jq -r .AccessKeyId "$T/data/agent-credentials.json")" \
	    --access-key-secret "$(jq -r .AccessKeySecret "$T/data/agent-credentials.json")" \
	    ecs "$@" --version-override 2026-12-01 >"$T/out" 2>"$T/err"
}

mk_vpc() {
	must vpc CreateVpc --RegionId $REGION --CidrBlock "$1"
	jget .VpcId
}

mk_vsw() {
	must vpc CreateVSwitch --VpcId "$1" --ZoneId cn-hangzhou-b \
	    --CidrBlock "$2"
	jget .VSwitchId
}

# mk_sg VPC [normal|enterprise]
mk_sg() {
	must ecs CreateSecurityGroup --RegionId $REGION --VpcId "$1" \
	    --SecurityGroupType "${2:-normal}"
	jget .SecurityGroupId
}

# allow_in SG [--Name value]... ; allow_out SG ...
allow_in() {
	sg=$1
	shift
	must ecs AuthorizeSecurityGroup --RegionId $REGION \
	    --SecurityGroupId "$sg" "$@"
}

allow_out() {
	sg=$1
	shift
	must ecs AuthorizeSecurityGroupEgress --RegionId $REGION \
	    --SecurityGroupId "$sg" "$@"
}

# run_inst VSW IP SG [SG...]: an instance with that private address.
run_inst() {
	vsw=$1
	ip=$2
	shift 2
	n=1
	set -- "$@"
	args=""
	for g in "$@"; do
		args="$args --SecurityGroupIds.$n $g"
		n=$((n + 1))
	done
	# shellcheck disable=SC2086
	must ecs RunInstances --RegionId $REGION --VSwitchId "$vsw" \
	    --PrivateIpAddress "$ip" --InstanceType ecs.g7.large \
	    --ImageId img-1 $args
	jget '.InstanceIdSets.InstanceIdSet[0]'
}

# wait_sync: until the agent enforces the server's current revision
# (`sekisho wait`, which polls DescribeEnforcementStatus).
wait_sync() {
	"$CLI" --endpoint "$EP" --access-key-id AKIDEXAMPLE \
	    --access-key-secret SECRETEXAMPLE wait --seconds 15 \
	    >"$T/out" 2>"$T/err" ||
	    die "the agent did not catch up: $(cat "$T/out" "$T/err")"
}

# ---- agent ----------------------------------------------------------------

start_agent() {
	"$AGENT" --netns "$HOSTNS" --server "$EP" \
	    --credentials "$T/data/agent-credentials.json" \
	    --state-dir "$T/state" --drift-interval 1 ${E2E_AGENT_ARGS:-} "$@" \
	    >>"$T/agent.log" 2>&1 &
	AGENT_PID=$!
}

stop_agent() {
	[ -n "$AGENT_PID" ] || return 0
	kill "$AGENT_PID" 2>/dev/null
	wait "$AGENT_PID" 2>/dev/null
	AGENT_PID=""
}

# outside NAME IP: an outside host on the internet bridge.
outside() {
	OUTSIDE="$OUTSIDE $1"
	"$AGENT" --netns "$HOSTNS" outside add "$1" "$2" >>"$T/agent.log" 2>&1 ||
	    die "outside add $1 $2"
}

# ---- traffic (inside the test's namespaces only) ---------------------------

# listen NS PORT [udp]: a listener that keeps accepting (TCP: echoes what
# it reads); UDP payloads are
# appended to $T/udp.NS.PORT.
listen() {
	if [ "${3:-}" = udp ]; then
		ip netns exec "$1" socat -u "UDP4-RECV:$2,reuseaddr" \
		    "OPEN:$T/udp.$1.$2,creat,append" 2>/dev/null &
	else
		ip netns exec "$1" socat "TCP4-LISTEN:$2,reuseaddr,fork" \
		    EXEC:/bin/cat 2>/dev/null &
	fi
	PIDS="$PIDS $!"
	sleep 0.1
}

# tcp FROM_NS IP PORT: a full connection and the echo of what was sent.
tcp() {
	tok=t$$.$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	echo "$tok" | ip netns exec "$1" nc -w 1 -N "$2" "$3" 2>/dev/null |
	    grep -q "$tok"
}

# udp FROM_NS DST_NS IP PORT: a datagram arrives (listener started).
udp() {
	tok=u$$.$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	echo "$tok" | ip netns exec "$1" socat -u - "UDP4-SENDTO:$3:$4" \
	    2>/dev/null
	sleep 0.2
	grep -q "$tok" "$T/udp.$2.$4" 2>/dev/null
}

icmp() {
	ip netns exec "$1" ping -c 1 -W 1 -q "$2" >/dev/null 2>&1
}

nft_host() {
	ip netns exec "$HOSTNS" nft "$@"
}
