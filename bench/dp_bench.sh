#!/bin/sh
# dp_bench: data-plane figures of issue 5 item 7 (docs/benchmarks.md,
# "Data plane (issue 5)"). Root only; everything runs inside namespaces
# this script creates (host namespace skb-<tag>, the agent's instance
# namespaces marked with it), removed by the EXIT trap, also on failure.
#
# For each size N in DP_SIZES (default "10 100 1000"), a fresh sekishod and
# sekisho-agent:
#   setup (timed apart, not in the figures): one VPC and vSwitch, group G
#     (shared by every ENI) and P; N instances in G (RunInstances, Amount
#     <= 100), whose primary ENIs are bound with SetNetworkInterfaceDriver
#     (Driver=external) to interfaces dpK made in the host namespace
#     before the agent starts (veth pairs whose other ends sit in
#     skb-<tag>-p: this kernel has no dummy driver); two local instances RX (in G) and TX (in P);
#   latency: DP_CHANGES rule changes on G (Authorize, then Revoke, of UDP
#     5433 from TX's address, alternately), each applied to all N+1 ENIs
#     of G. Per change, from the CLI's return:
#       kernel the agent's delta is committed in the host namespace: the
#              first `nft monitor` event of the change (one transaction
#              covers every ENI of G); negative = before the CLI exited;
#       kstart the same from the start of the API call;
#       wait   `sekisho wait` returns (it polls every 100 ms);
#       probe  TX sends a datagram per DP_PROBE_USEC µs to RX:5433, each
#              from a new source port (a new conntrack flow): Authorize =
#              first datagram RX receives after the call started, Revoke =
#              the last one; negative when the flip came before the CLI
#              process had exited;
#       call   (for scale) the CLI call itself, start to return.
#   memory: agent VmRSS and /proc/meminfo Slab after the dummies exist and
#     before the agent starts, and after its first sync (the delta / N is
#     the per-ENI figure; Slab is machine-wide, so it is approximate).
# With DP_PPS=1, at the last size: UDP flood TX -> RX (64-byte payload,
# sendmmsg, DP_PPS_SECONDS <= 10) with G holding the one rule that admits
# it, then with RX's ENI carrying 500 rules (the admitting rule last in
# priority among 4 other groups' 400 rules + G's 100).
#
#   sh bench/dp_bench.sh            (after make; root)
# Knobs: DP_SIZES, DP_CHANGES (default 20), DP_PROBE_USEC (500), DP_PPS,
# DP_PPS_SECONDS (5), BUILD. Prints one "dp:" line per figure.
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
SIZES=${DP_SIZES:-10 100 1000}
CHANGES=${DP_CHANGES:-20}
PUSEC=${DP_PROBE_USEC:-500}
PPS=${DP_PPS:-0}
PPS_SECS=${DP_PPS_SECONDS:-5}
REGION=cn-hangzhou
TAG=$(printf '%x' "$$")
T=$(mktemp -d "${TMPDIR:-/tmp}/dp_bench.XXXXXX") || exit 1
HOSTNS=""
PIDS=""
AGENT_PID=""
SRV_PID=""

[ "$PPS_SECS" -le 10 ] || PPS_SECS=10
if [ "$(id -u)" != 0 ]; then
	echo "dp_bench: skipped (needs root for network namespaces)"
	exit 0
fi

stop_all() {
	for p in $PIDS $AGENT_PID $SRV_PID; do kill "$p" 2>/dev/null; done
	# Not the PIDS: dash's wait on a pipeline job (nft monitor | stamp)
	# can hang once its first member is reaped elsewhere.
	for p in $AGENT_PID $SRV_PID; do wait "$p" 2>/dev/null; done
	PIDS=""
	AGENT_PID=""
	SRV_PID=""
	[ -n "$HOSTNS" ] || return 0
	# Processes still inside our own namespaces (nft monitor).
	for ns in "$HOSTNS" "$HOSTNS-p"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$p" 2>/dev/null
		done
	done
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case $ns in
		i-*) if ip -n "$ns" -j link show lo 2>/dev/null |
			    grep -q "\"ifalias\":\"sekisho:$HOSTNS\""; then
				ip netns del "$ns"
			fi ;;
		esac
	done
	ip netns del "$HOSTNS" || echo "dp_bench: netns del $HOSTNS failed" >&2
	ip netns del "$HOSTNS-p" ||
	    echo "dp_bench: netns del $HOSTNS-p failed" >&2
	HOSTNS=""
}
cleanup() {
	stop_all
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

die() {
	echo "dp_bench: $*" >&2
	[ -f "$T/agent.log" ] && tail -5 "$T/agent.log" >&2
	exit 1
}

mkdir -p "$T/bin"
for b in sekishod sekisho sekisho-agent; do
	[ -x "$BUILD/$b" ] || die "$BUILD/$b missing: run make"
	cp "$BUILD/$b" "$T/bin/$b"
done
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$T/bin/dp_probe" \
    bench/dp_probe.c || die "dp_probe did not build"
CLI=$T/bin/sekisho
PROBE=$T/bin/dp_probe

ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) / 1000}'; }
now() { date +%s%N | cut -c1-16; }	# µs

api() {
	"$CLI" --endpoint "$EP" --access-key-id AKIDEXAMPLE \
	    --access-key-secret SECRETEXAMPLE "$@" >"$T/out" 2>"$T/err"
}
must() { api "$@" || die "$2 failed: $(cat "$T/out" "$T/err")"; }
jget() { jq -r "$1" "$T/out"; }

# pctl FILE: "p50 p99 max" of the numbers in FILE (nearest rank).
pctl() {
	sort -n "$1" | awk '{v[NR] = $1} END {
		if (NR == 0) { print "- - -"; exit }
		i = int(NR * 0.5 + 0.5); if (i < 1) i = 1
		j = int(NR * 0.99 + 0.999); if (j > NR) j = NR
		printf "%s %s %s\n", v[i], v[j], v[NR] }'
}

slab_kb() { awk '/^Slab:/ {print $2}' /proc/meminfo; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

run_size() {
	n=$1
	HOSTNS=skb-$TAG-$n
	rm -rf "$T/data" "$T/state" "$T/port" "$T/agent.log" "$T"/lat.*
	mkdir -p "$T/data"
	env SEKISHO_ROOT_ACCESS_KEY_ID=AKIDEXAMPLE \
	    SEKISHO_ROOT_ACCESS_KEY_SECRET=SECRETEXAMPLE "$T/bin/sekishod" \
	    --listen 127.0.0.1:0 --port-file "$T/port" --data-dir "$T/data" \
	    --sync normal --log-level warn --threads 8 \
	    --vpc-basic-group-ips 4000 >"$T/server.log" 2>&1 &
	SRV_PID=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$T/port" ] || die "sekishod did not start"
	EP=http://127.0.0.1:$(cat "$T/port")

	ts=$(now)
	must vpc CreateVpc --RegionId $REGION --CidrBlock 10.60.0.0/16
	vpc=$(jget .VpcId)
	must vpc CreateVSwitch --VpcId "$vpc" --ZoneId cn-hangzhou-b \
	    --CidrBlock 10.60.0.0/20
	vsw=$(jget .VSwitchId)
	must ecs CreateSecurityGroup --RegionId $REGION --VpcId "$vpc"
	G=$(jget .SecurityGroupId)
	must ecs CreateSecurityGroup --RegionId $REGION --VpcId "$vpc"
	P=$(jget .SecurityGroupId)
	left=$n
	while [ "$left" -gt 0 ]; do
		a=$left
		[ "$a" -le 100 ] || a=100
		must ecs RunInstances --RegionId $REGION --VSwitchId "$vsw" \
		    --InstanceType ecs.g7.large --ImageId img-1 --Amount "$a" \
		    --SecurityGroupIds.1 "$G"
		left=$((left - a))
	done
	t_run=$(now)
	: >"$T/enis"
	pg=1
	while :; do
		must ecs DescribeNetworkInterfaces --RegionId $REGION \
		    --PageSize 500 --PageNumber $pg
		jget '.NetworkInterfaceSets.NetworkInterfaceSet[].NetworkInterfaceId' \
		    >"$T/page"
		[ -s "$T/page" ] || break
		cat "$T/page" >>"$T/enis"
		pg=$((pg + 1))
	done
	[ "$(wc -l <"$T/enis")" -eq "$n" ] || die "expected $n ENIs"
	ip netns add "$HOSTNS" || die "netns add $HOSTNS"
	ip netns add "$HOSTNS-p" || die "netns add $HOSTNS-p"
	k=0
	while read -r eni; do
		echo "link add dp$k type veth peer name dp$k netns $HOSTNS-p"
		k=$((k + 1))
	done <"$T/enis" | ip -n "$HOSTNS" -batch - || die "dummies"
	k=0
	while read -r eni; do
		must sekisho SetNetworkInterfaceDriver --NetworkInterfaceId "$eni" \
		    --Driver external --HostInterface "dp$k"
		k=$((k + 1))
	done <"$T/enis"
	t_drv=$(now)
	must ecs RunInstances --RegionId $REGION --VSwitchId "$vsw" \
	    --InstanceType ecs.g7.large --ImageId img-1 \
	    --PrivateIpAddress 10.60.15.10 --SecurityGroupIds.1 "$G"
	RX=$(jget '.InstanceIdSets.InstanceIdSet[0]')
	must ecs RunInstances --RegionId $REGION --VSwitchId "$vsw" \
	    --InstanceType ecs.g7.large --ImageId img-1 \
	    --PrivateIpAddress 10.60.15.11 --SecurityGroupIds.1 "$P"
	TX=$(jget '.InstanceIdSets.InstanceIdSet[0]')

	sync
	slab0=$(slab_kb)
	"$T/bin/sekisho-agent" --netns "$HOSTNS" --server "$EP" \
	    --credentials "$T/data/agent-credentials.json" \
	    --state-dir "$T/state" --drift-interval 5 >>"$T/agent.log" 2>&1 &
	AGENT_PID=$!
	api wait --seconds 300 || die "first sync: $(cat "$T/out" "$T/err")"
	t_sync=$(now)
	sleep 1
	slab1=$(slab_kb)
	rss=$(rss_kb "$AGENT_PID")
	nrules=$(ip netns exec "$HOSTNS" nft list ruleset | grep -c .)
	up=$(ip -n "$HOSTNS" -br link show up | grep -c '^dp')
	echo "dp: N=$n setup: RunInstances $(ms "$ts" "$t_run") ms," \
	    "SetNetworkInterfaceDriver x$n $(ms "$t_run" "$t_drv") ms," \
	    "first sync $(ms "$t_drv" "$t_sync") ms; dummies up $up/$n;" \
	    "ruleset $nrules lines"
	echo "dp: N=$n memory: agent VmRSS $rss kB ($((rss / (n + 2))) kB/ENI" \
	    "all-in);  Slab $slab0 -> $slab1 kB (delta $((slab1 - slab0)) kB," \
	    "$(((slab1 - slab0) * 1000 / (n + 2))) B/ENI)"
	[ "$up" -eq "$n" ] || die "not every dummy is up (bound)"

	ip netns exec "$HOSTNS" stdbuf -oL nft monitor 2>/dev/null | "$PROBE" stamp \
	    >"$T/mon" &
	PIDS="$PIDS $!"
	ip netns exec "$RX" "$PROBE" recv 5433 >"$T/rx" 2>/dev/null &
	PIDS="$PIDS $!"
	ip netns exec "$TX" "$PROBE" send 10.60.15.10 5433 "$PUSEC" \
	    2>/dev/null &
	PIDS="$PIDS $!"
	sleep 0.5
	[ -s "$T/rx" ] && die "RX receives before any rule"
	c=1
	while [ $c -le "$CHANGES" ]; do
		if [ $((c % 2)) -eq 1 ]; then
			act=AuthorizeSecurityGroup
		else
			act=RevokeSecurityGroup
		fi
		tb=$(now)
		must ecs $act --RegionId $REGION --SecurityGroupId "$G" \
		    --IpProtocol udp --PortRange 5433/5433 \
		    --SourceCidrIp 10.60.15.11/32
		t0=$(now)
		api wait --seconds 30 || die "wait after $act"
		t2=$(now)
		sleep 0.4
		# The delta's commit: the first nft monitor event since tb.
		k=$(awk -v b="$tb" -v t="$t0" 'substr($1, 1, 16) + 0 > b + 0 {
		    print substr($1, 1, 16) - t; exit }' "$T/mon")
		[ -n "$k" ] || die "change $c: no nft event"
		echo "$k" >>"$T/lat.kernel"
		echo "$((k + t0 - tb))" >>"$T/lat.kstart"
		echo "$((t2 - t0))" >>"$T/lat.wait"
		echo "$((t0 - tb))" >>"$T/lat.call"
		if [ "$act" = AuthorizeSecurityGroup ]; then
			f=$(awk -v b="$tb" -v t="$t0" '
			    substr($1, 1, 16) + 0 > b + 0 {
			    print substr($1, 1, 16) - t; exit }' "$T/rx")
			[ -n "$f" ] || die "change $c: RX never received"
			echo "$f" >>"$T/lat.on"
		else
			f=$(awk -v b="$tb" -v t="$t0" '
			    substr($1, 1, 16) + 0 > b + 0 {
			    l = substr($1, 1, 16) - t } END { print l + 0 }' \
			    "$T/rx")
			echo "$f" >>"$T/lat.off"
		fi
		c=$((c + 1))
	done
	for k in call kstart kernel wait on off; do
		# shellcheck disable=SC2046
		set -- $(pctl "$T/lat.$k")
		echo "dp: N=$n latency $k: p50 $(ms 0 "$1") ms, p99" \
		    "$(ms 0 "$2") ms, max $(ms 0 "$3") ms" \
		    "($(wc -l <"$T/lat.$k") changes)"
	done
	[ "$PPS" = 1 ] && [ "$n" = "${SIZES##* }" ] && pps_run
	stop_all
}

# pps_run: RX admits TX's UDP 7000 by G's rule alone, then with 500 rules.
pps_run() {
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PIDS=""
	must ecs AuthorizeSecurityGroup --RegionId $REGION --SecurityGroupId "$G" \
	    --IpProtocol udp --PortRange 7000/7000 --SourceCidrIp 10.60.15.11/32 \
	    --Priority 100
	api wait --seconds 60 || die "pps wait"
	r1=$(pps_once)
	for gi in 1 2 3 4; do
		must ecs CreateSecurityGroup --RegionId $REGION --VpcId "$vpc"
		eval "J$gi=\$(jget .SecurityGroupId)"
	done
	# G: 99 more rules (100); J1..J4: 100 each; none matches the flood.
	for g in "$G" "$J1" "$J2" "$J3" "$J4"; do
		m=100
		[ "$g" = "$G" ] && m=99
		i=1
		while [ $i -le $m ]; do
			must ecs AuthorizeSecurityGroup --RegionId $REGION \
			    --SecurityGroupId "$g" --IpProtocol tcp \
			    --PortRange "$((1000 + i))/$((1000 + i))" \
			    --SourceCidrIp "10.$((100 + i % 100)).0.0/16" \
			    --Priority 1
			i=$((i + 1))
		done
	done
	must ecs ModifyInstanceAttribute --InstanceId "$RX" \
	    --SecurityGroupIds.1 "$G" --SecurityGroupIds.2 "$J1" \
	    --SecurityGroupIds.3 "$J2" --SecurityGroupIds.4 "$J3" \
	    --SecurityGroupIds.5 "$J4" ||
	    for g in "$J1" "$J2" "$J3" "$J4"; do
		must ecs JoinSecurityGroup --InstanceId "$RX" --SecurityGroupId "$g"
	    done
	api wait --seconds 120 || die "pps wait 500"
	r500=$(pps_once)
	echo "dp: pps (64 B UDP, ${PPS_SECS} s): 1 rule $r1, 500 rules $r500" \
	    "(ratio $(echo "$r1 $r500" | awk '{printf "%.3f", $2 / $1}'))"
}

pps_once() {
	ip netns exec "$RX" "$PROBE" count 7000 "$PPS_SECS" >"$T/cnt" &
	cp=$!
	sleep 0.2
	ip netns exec "$TX" "$PROBE" flood 10.60.15.10 7000 "$PPS_SECS" \
	    >/dev/null
	wait "$cp"
	awk '{print $1}' "$T/cnt"
}

echo "dp: $(nproc) CPUs, $(uname -r), $(awk '/MemTotal/ {print $2}' \
    /proc/meminfo) kB, $(nft --version)"
for n in $SIZES; do
	run_size "$n"
done
