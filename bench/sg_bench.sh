#!/bin/sh
# sg_bench: security-group action throughput at the seed's quotas (issue 3
# item 9; docs/benchmarks.md, "Security groups at quota"), as ratios
# against the foundation benchmark's static-reply baseline (same generator,
# same signed DescribeRegions bytes, 16 connections, --cycle), a baseline
# run of SG_STATIC_SECONDS placed right before every measured run.
#
# Setup, through the API (loadgen seq mode and the sekisho CLI), on a
# sekishod started with --sg-quota 101 --sg-per-eni 5 --rules-per-eni 500:
#   one VPC and vSwitch; 100 security groups in the account, of which
#   G0        100 rules (TCP i/i from 10.1.0.0/16, i = 1..100);
#   A1..AW    99 rules each, W = WRITE_CONNS (one per write connection);
#   J1..J5    100 rules each;
#   W instances (RunInstances, Amount W) whose primary ENIs are in J1..J4:
#   400 rules each, so joining J5 makes exactly 500 = --rules-per-eni.
# Measured:
#   describe  DescribeSecurityGroupAttribute of G0 (100 Permission objects);
#   noop      AuthorizeSecurityGroup of a rule G0 already has (idempotent:
#             parses, loads and keys the 100 rules, writes nothing);
#   pairs     per connection k, Authorize then Revoke of TCP 1000/1000 on
#             Ak: its 99 rules become 100 and go back (each reply one
#             committed transaction);
#   join      per connection k, JoinSecurityGroup of instance k to J5, then
#             LeaveSecurityGroup: the quota check adds up 5 x 100 rules and
#             passes at the limit (each reply one committed transaction).
# noop, pairs and join run with --sync full, then --sync normal (the same
# data directory, server restarted). The state is checked after the setup
# and again at the end (rule counts, J5 has no member left).
#
# Run by scripts/bench.sh after the foundation part, or alone after `make`:
#   sh bench/sg_bench.sh
# Knobs: BENCH_SECONDS (per measured run, default 4), SG_STATIC_SECONDS (2),
# READ_CONNS (16), WRITE_CONNS (8, at most 94), BENCH_DIR. Loopback only.
set -eu
cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
SECS=${BENCH_SECONDS:-4}
STATIC_SECS=${SG_STATIC_SECONDS:-2}
READ_CONNS=${READ_CONNS:-16}
WRITE_CONNS=${WRITE_CONNS:-8}
REGION=cn-hangzhou
ECS=2014-05-26
PKGS="libmicrohttpd jansson sqlite3 libcrypto libcurl"
CC=${CC:-cc}
# shellcheck disable=SC2086
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow \
-Wno-unused-parameter -Wformat=2 -Wstrict-prototypes -Isrc -Ibench -pthread \
$(pkg-config --cflags $PKGS)"
# shellcheck disable=SC2086
LIBS="$(pkg-config --libs $PKGS) -pthread -lm"

if [ ! -f "$BUILD/libsekisho.a" ] || [ ! -x "$BUILD/sekishod" ] ||
    [ ! -x "$BUILD/sekisho" ]; then
	echo "sg_bench: $BUILD/libsekisho.a, sekishod or sekisho missing: run make" >&2
	exit 1
fi
# One group Ak per write connection, next to G0 and J1..J5: at most 94.
if [ "$WRITE_CONNS" -gt 94 ]; then
	echo "sg_bench: WRITE_CONNS=$WRITE_CONNS: using 94 (100 groups)"
	WRITE_CONNS=94
fi
[ "$WRITE_CONNS" -ge 1 ] || { echo "sg_bench: WRITE_CONNS < 1" >&2; exit 1; }
mkdir -p "$BUILD/bench"
# Built here too (when stale) so that the script also runs alone.
stale() {	# $1 = target, then its sources
	t=$1
	shift
	[ ! -e "$t" ] || [ -n "$(find "$@" -newer "$t")" ]
}
if stale "$BUILD/bench/loadgen" bench/loadgen.c bench/lg_req.c \
    bench/lg_req.h "$BUILD/libsekisho.a"; then
	# shellcheck disable=SC2086
	$CC $CFLAGS -o "$BUILD/bench/loadgen" bench/loadgen.c bench/lg_req.c \
	    "$BUILD/libsekisho.a" $LIBS
fi
if stale "$BUILD/bench/static_server" bench/static_server.c; then
	# shellcheck disable=SC2086
	$CC $CFLAGS -o "$BUILD/bench/static_server" bench/static_server.c $LIBS
fi

BENCH_DIR=${BENCH_DIR:-$PWD/$BUILD/bench}
mkdir -p "$BENCH_DIR"
TMP=$(mktemp -d "$BENCH_DIR/sg.XXXXXX")
API_PID=""
STATIC_PID=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	for p in $API_PID $STATIC_PID; do kill "$p" 2>/dev/null || true; done
	for p in $API_PID $STATIC_PID; do wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

: "${SEKISHO_ROOT_ACCESS_KEY_ID:=AKIDBENCH}"
: "${SEKISHO_ROOT_ACCESS_KEY_SECRET:=bench-secret-not-for-production}"
export SEKISHO_ROOT_ACCESS_KEY_ID SEKISHO_ROOT_ACCESS_KEY_SECRET
export ALIBABA_CLOUD_ACCESS_KEY_ID="$SEKISHO_ROOT_ACCESS_KEY_ID"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="$SEKISHO_ROOT_ACCESS_KEY_SECRET"

die() { echo "sg_bench: $*" >&2; exit 1; }

wait_port() {	# $1 = port file, $2 = pid
	i=0
	while [ ! -s "$1" ]; do
		kill -0 "$2" 2>/dev/null || die "server died"
		i=$((i + 1))
		[ $i -lt 100 ] || die "no port file $1"
		sleep 0.05
	done
	cat "$1"
}

start_api() {	# $1 = full|normal; the data directory is kept
	if [ -n "$API_PID" ]; then
		kill "$API_PID"
		wait "$API_PID" || true
	fi
	rm -f "$TMP/api.port"
	"$BUILD/sekishod" --listen 127.0.0.1:0 --port-file "$TMP/api.port" \
	    --data-dir "$TMP/data" --sync "$1" --threads 2 --sg-quota 101 \
	    --sg-per-eni 5 --rules-per-eni 500 \
	    --log-level warn 2>>"$TMP/sekishod.log" &
	API_PID=$!
	API_PORT=$(wait_port "$TMP/api.port" "$API_PID")
	export SEKISHO_ENDPOINT="http://127.0.0.1:$API_PORT"
}

lg() {	# $1 = port, then loadgen options; the result line is kept in $TMP/last
	port=$1
	shift
	"$BUILD/bench/loadgen" --port "$port" "$@" > "$TMP/last" \
	    2> "$TMP/lg.err" || {
		cat "$TMP/last" "$TMP/lg.err" >&2
		die "loadgen failed ($*)"
	}
}
cli() {	# the sekisho CLI; its JSON answer in $TMP/out
	"$BUILD/sekisho" "$@" > "$TMP/out" 2> "$TMP/cli.err" || {
		cat "$TMP/cli.err" >&2
		die "sekisho $1 $2 failed"
	}
}
field() { sed -n "s/^ *\"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$TMP/out"; }
rate() { sed -n 's/.*= *\([0-9][0-9]*\) req\/s.*/\1/p' "$TMP/last"; }
nreq() { sed -n 's/^.* \([0-9][0-9]*\) req in .*/\1/p' "$TMP/last"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cpu_us() {
	awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" \
	    'BEGIN { printf("%.0f", (n > 0) ? t * 1e6 / hz / n : 0) }'
}
pct1() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.1f", (b > 0) ? 100 * a / b : 0) }'; }
item() { echo "$1" | tr ',' '\n' | sed -n "${2}p"; }	# $2-th of a list

# "Permissions.i.*" parameters: TCP i/i from 10.1.0.0/16, i = 1..$1, in
# the notation of $2 (cli: --Name value; tmpl: Name=value).
perms() {
	i=1
	while [ "$i" -le "$1" ]; do
		if [ "$2" = cli ]; then
			printf ' --Permissions.%d.IpProtocol TCP --Permissions.%d.PortRange %d/%d --Permissions.%d.SourceCidrIp 10.1.0.0/16' \
			    "$i" "$i" "$i" "$i" "$i"
		else
			printf ' Permissions.%d.IpProtocol=TCP Permissions.%d.PortRange=%d/%d Permissions.%d.SourceCidrIp=10.1.0.0/16' \
			    "$i" "$i" "$i" "$i" "$i"
		fi
		i=$((i + 1))
	done
}

# Checks the account's groups against the layout: G0 and J1..J5 at 100
# rules, A1..AW at 99, the others empty; J5 with no member.
check_state() {	# $1 = when
	cli ecs DescribeSecurityGroups --RegionId "$REGION" --MaxResults 100 \
	    --IsQueryEcsCount true
	# One "id rules members" line per group.
	tr -d ' \n' < "$TMP/out" | sed 's/"SecurityGroupId":/\n&/g' |
	    sed -n 's/^"SecurityGroupId":"\([^"]*\)".*"RuleCount":\([0-9]*\).*"EcsCount":\([0-9]*\).*/\1 \2 \3/p' \
	    > "$TMP/groups"
	bad=$(awk -v g0="$G0" -v as="$AS" -v js="$JS" -v j5="$J5" '
	    BEGIN {
		want[g0] = 100
		n = split(as, a, ",")
		for (i = 1; i <= n; i++) want[a[i]] = 99
		n = split(js, a, ",")
		for (i = 1; i <= n; i++) want[a[i]] = 100
	    }
	    {
		seen++
		w = ($1 in want) ? want[$1] : 0
		if ($2 != w) print $1 " has " $2 " rules, not " w
		if ($1 == j5 && $3 != 0) print j5 " has " $3 " members"
	    }
	    END { if (seen != 100) print seen + 0 " groups, not 100" }' \
	    "$TMP/groups")
	[ -z "$bad" ] || die "$1: $bad"
	echo "sg_bench: $1: 100 groups; rule counts and memberships as laid out"
}

setup() {
	cli vpc CreateVpc --RegionId "$REGION" --CidrBlock 10.0.0.0/16
	vpc=$(field VpcId)
	cli vpc CreateVSwitch --RegionId "$REGION" --VpcId "$vpc" \
	    --ZoneId cn-hangzhou-b --CidrBlock 10.0.1.0/24
	vsw=$(field VSwitchId)
	lg "$API_PORT" --mode seq --conns 1 --count 100 --label setup \
	    --req "$ECS CreateSecurityGroup RegionId=$REGION VpcId=$vpc SecurityGroupName=bench"
	cli ecs DescribeSecurityGroups --RegionId "$REGION" --MaxResults 100
	ids=$(field SecurityGroupId | tr '\n' ',')
	G0=$(item "$ids" 1)
	AS=$(echo "$ids" | cut -d, -f2-$((WRITE_CONNS + 1)))
	JS=$(echo "$ids" | cut -d, -f$((WRITE_CONNS + 2))-$((WRITE_CONNS + 6)))
	J5=$(item "$JS" 5)
	# One request per group, the 99 or 100 rules in it.
	lg "$API_PORT" --mode seq --conns "$WRITE_CONNS" \
	    --count "$WRITE_CONNS" --label setup --each "$AS" \
	    --req "$ECS AuthorizeSecurityGroup RegionId=$REGION SecurityGroupId={}$(perms 99 tmpl)"
	lg "$API_PORT" --mode seq --conns 6 --count 6 --label setup \
	    --each "$G0,$JS" \
	    --req "$ECS AuthorizeSecurityGroup RegionId=$REGION SecurityGroupId={}$(perms 100 tmpl)"
	cli ecs RunInstances --RegionId "$REGION" --VSwitchId "$vsw" \
	    --InstanceType ecs.g6.large --ImageId bench_image \
	    --Amount "$WRITE_CONNS" --SecurityGroupIds.1 "$(item "$JS" 1)" \
	    --SecurityGroupIds.2 "$(item "$JS" 2)" \
	    --SecurityGroupIds.3 "$(item "$JS" 3)" \
	    --SecurityGroupIds.4 "$(item "$JS" 4)"
	INSTS=$(sed -n 's/^ *"\(i-[0-9a-z]*\)",\{0,1\}$/\1/p' "$TMP/out" | tr '\n' ',')
	[ "$(echo "$INSTS" | tr ',' '\n' | grep -c .)" -eq "$WRITE_CONNS" ] ||
	    die "RunInstances did not make $WRITE_CONNS instances"
	INSTS=${INSTS%,}
}

# One measured run with its static baseline right before it; a summary
# line into $TMP/summary. $1 = name, $2 = sync mode, then loadgen options.
measure() {
	name=$1
	sync=$2
	shift 2
	t0=$(ticks "$STATIC_PID")
	lg "$STATIC_PORT" --mode read --count 2000 --cycle \
	    --seconds "$STATIC_SECS" --conns "$READ_CONNS" --label "static"
	cat "$TMP/last"
	s_rate=$(rate)
	s_us=$(cpu_us $(($(ticks "$STATIC_PID") - t0)) "$(nreq)")
	t0=$(ticks "$API_PID")
	lg "$API_PORT" --seconds "$SECS" --label "$name $sync" "$@"
	cat "$TMP/last"
	api_us=$(cpu_us $(($(ticks "$API_PID") - t0)) "$(nreq)")
	printf '%-18s %-6s %7s %7s %6s%% %7s %7s %6s%%\n' "$name" "$sync" \
	    "$(rate)" "$s_rate" "$(pct1 "$(rate)" "$s_rate")" "$api_us" \
	    "$s_us" "$(pct1 "$s_us" "$api_us")" >> "$TMP/summary"
}

echo "sg_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) before the SG part"
"$BUILD/bench/static_server" --port-file "$TMP/static.port" --threads 2 &
STATIC_PID=$!
STATIC_PORT=$(wait_port "$TMP/static.port" "$STATIC_PID")

t_setup=$(date +%s%N)
start_api normal
setup
check_state "after setup"
echo "sg_bench: setup (100 groups, $((600 + 99 * WRITE_CONNS)) rules," \
    "$WRITE_CONNS instances) took" \
    "$(awk -v ns=$(($(date +%s%N) - t_setup)) 'BEGIN { printf("%.1f", ns / 1e9) }') s"

POOL=$((SECS * 2000))	# a run that uses it up ends early: its rate holds
rule1000="IpProtocol=TCP PortRange=1000/1000 SourceCidrIp=10.1.0.0/16"
for mode in full normal; do
	start_api "$mode"
	# Warm up the new process (page cache, statement cache, allocator).
	lg "$API_PORT" --mode read --count 200 --seconds 1 --conns 4 \
	    --label warmup --req "$ECS DescribeSecurityGroupAttribute RegionId=$REGION SecurityGroupId=$G0"
	if [ "$mode" = full ]; then
		measure DescribeSGAttr read --mode read \
		    --count "$POOL" --conns "$READ_CONNS" \
		    --req "$ECS DescribeSecurityGroupAttribute RegionId=$REGION SecurityGroupId=$G0"
	fi
	measure "Authorize no-op" "$mode" --mode read \
	    --count "$POOL" --conns "$WRITE_CONNS" \
	    --req "$ECS AuthorizeSecurityGroup RegionId=$REGION SecurityGroupId=$G0 IpProtocol=TCP PortRange=7/7 SourceCidrIp=10.1.0.0/16"
	measure Authorize+Revoke "$mode" --mode seq \
	    --count "$POOL" --conns "$WRITE_CONNS" --each "$AS" \
	    --req "$ECS AuthorizeSecurityGroup RegionId=$REGION SecurityGroupId={} $rule1000" \
	    --req "$ECS RevokeSecurityGroup RegionId=$REGION SecurityGroupId={} $rule1000"
	measure Join+Leave "$mode" --mode seq \
	    --count "$POOL" --conns "$WRITE_CONNS" --each "$INSTS" \
	    --req "$ECS JoinSecurityGroup RegionId=$REGION InstanceId={} SecurityGroupId=$J5" \
	    --req "$ECS LeaveSecurityGroup RegionId=$REGION InstanceId={} SecurityGroupId=$J5"
done
check_state "at the end"

echo "sg_bench: security groups at quota, sekishod against the static reply run just before"
echo "sg_bench: (pairs count both requests; each write reply is one committed transaction)"
printf 'sg_bench: %-18s %-6s %7s %7s %7s %7s %7s %7s\n' action sync "req/s" static ratio \
    "CPU us" static "cost"
sed 's/^/sg_bench: /' "$TMP/summary"
