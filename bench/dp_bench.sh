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
#     of G. Per change, from the API's return (the moment the CLI
#     received the answer: `sekisho --verbose` prints it; the process
#     exit comes milliseconds later):
#       kernel the agent's delta is committed in the host namespace: the
#              first `nft monitor` event of the change (one transaction
#              covers every ENI of G); negative = before the answer
#              reached the client;
#       kstart the same from the start of the API call;
#       wait   `sekisho wait` returns (it polls every 100 ms);
#       probe  TX sends a datagram per DP_PROBE_USEC µs to RX:5433, each
#              from a new source port (a new conntrack flow): Authorize =
#              first datagram RX receives after the call started, Revoke =
#              the last one; negative when the flip came before the
#              answer reached the client;
#       call   (for scale) the CLI call itself, process start to answer.
#   memory: agent VmRSS and /proc/meminfo Slab after the dummies exist and
#     before the agent starts, and after its first sync (the delta / N is
#     the per-ENI figure; Slab is machine-wide, so it is approximate).
# With DP_PPS=1, at the last size: forwarded packets/s TX -> RX (64-byte
# UDP payload), three floods of DP_PPS_SECONDS (2, <= 10) each, each into
# an empty conntrack table (dp_probe ctflush in the host namespace), in
# DP_PPS_REPS (5) interleaved rounds; a figure is the median of its
# rounds (their maximum beside it: the machine is shared):
#   est   one flow (sendmmsg from one source port) after a hello that RX
#         answers: conntrack has seen a reply, every datagram is ct state
#         established (sk_fwd accepts it before any rule);
#   new1  the same without the hello: an unreplied UDP flow stays ct state
#         new, so every datagram walks the rules (no conntrack insert);
#   flow  a raw socket in TX (TX's own address and MAC: anti-spoofing),
#         destination port cycling over 7001..7099, source port over
#         1024..65535: every datagram is a new conntrack flow; each flood
#         stops at DP_PPS_FLOW_MAX (150000) datagrams: a full table
#         (nf_conntrack_max is global, 262144 here) would make every new
#         flow pay an early drop too;
# each against four rulesets (ours1 and ours500 side by side, in the
# same rounds; then floor, then linear500):
#   ours1      to RX1 (10.60.15.12, a third local instance) whose ENI's
#              one group Q holds one rule: udp 7000-7099 from TX;
#   ours500    to RX, in G + 4 new groups: 500 rules (the quota per ENI;
#              the same admitting rule in G, last in priority; 499 TCP
#              rules of one shape that no flood matches: all 500 accept,
#              so the agent compiles them into one interval set, one
#              lookup);
#   floor      the agent killed (the kernel keeps its tables), sk_fwd
#              holding only "accept": conntrack, sk_raw and the bridge
#              port checks stay;
#   linear500  floor + table inet sk_linear: a forward chain, policy drop,
#              `ct state established,related accept`, then the 500 rules
#              one nft rule each in priority order (iptables-style).
# RX counts the flood datagrams with an nft counter and drops them at its
# prerouting (so the figure is what the host forwarded, not what RX's own
# stack keeps up with). Printed: per flood and ruleset the pps forwarded
# (TX's sent rate beside it) and the conntrack figures, then the ratios
# (of the medians, of the maxima, and for ours500/ours1 the median of the
# per-round ratios: those two floods were neighbours in time).
#
#   sh bench/dp_bench.sh            (after make; root)
# Knobs: DP_SIZES, DP_CHANGES (default 20), DP_PROBE_USEC (500), DP_PPS,
# DP_PPS_SECONDS (2), DP_PPS_REPS (5), DP_PPS_FLOW_MAX (150000),
# DP_KEEP_LOGS (a directory that receives the server's and the agent's
# logs; with DP_PPS, pps-ruleset.log: the host namespace's ruleset with
# 500 rules), BUILD. Prints one "dp:" line per figure.
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
SIZES=${DP_SIZES:-10 100 1000}
CHANGES=${DP_CHANGES:-20}
PUSEC=${DP_PROBE_USEC:-500}
PPS=${DP_PPS:-0}
PPS_SECS=${DP_PPS_SECONDS:-2}
PPS_REPS=${DP_PPS_REPS:-5}
PPS_FLOW_MAX=${DP_PPS_FLOW_MAX:-150000}
REGION=cn-hangzhou
TAG=$(printf '%x' "$$")
T=$(mktemp -d "${TMPDIR:-/tmp}/dp_bench.XXXXXX") || exit 1
HOSTNS=""
PIDS=""
AGENT_PID=""
SRV_PID=""

[ "$PPS_SECS" -le 10 ] || PPS_SECS=10
[ "$PPS_SECS" -ge 1 ] || PPS_SECS=1
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
	if [ -n "${DP_KEEP_LOGS:-}" ]; then
		mkdir -p "$DP_KEEP_LOGS" && cp "$T"/*.log "$DP_KEEP_LOGS"/ 2>/dev/null
	fi
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
		    --SourceCidrIp 10.60.15.11/32 --verbose
		t0=$(sed -n 's/.*received at \([0-9]*\)\.\([0-9]*\)$/\1\2/p' \
		    "$T/err")
		[ -n "$t0" ] || die "change $c: no answer time in $(cat "$T/err")"
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

# pps_run: the forwarded packets/s figures (header comment, DP_PPS=1).
pps_run() {
	# No wait: dash's wait on the pipeline job can hang (stop_all).
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	PIDS=""
	# An odd DP_CHANGES leaves the latency rule; the 500 are the quota.
	api ecs RevokeSecurityGroup --RegionId $REGION --SecurityGroupId "$G" \
	    --IpProtocol udp --PortRange 5433/5433 --SourceCidrIp 10.60.15.11/32
	# RX1: a third local instance in a group of its own, Q, whose one
	# rule admits the floods; RX: the same rule in G, then 500.
	must ecs CreateSecurityGroup --RegionId $REGION --VpcId "$vpc"
	q=$(jget .SecurityGroupId)
	for gid in "$q" "$G"; do
		must ecs AuthorizeSecurityGroup --RegionId $REGION \
		    --SecurityGroupId "$gid" --IpProtocol udp \
		    --PortRange 7000/7099 --SourceCidrIp 10.60.15.11/32 \
		    --Priority 100
	done
	must ecs RunInstances --RegionId $REGION --VSwitchId "$vsw" \
	    --InstanceType ecs.g7.large --ImageId img-1 \
	    --PrivateIpAddress 10.60.15.12 --SecurityGroupIds.1 "$q"
	RX1=$(jget '.InstanceIdSets.InstanceIdSet[0]')
	# G gets 99 more rules; 4 new groups 100 each, joined by RX.
	g=0
	while [ $g -le 4 ]; do
		gid=$G
		if [ $g -gt 0 ]; then
			must ecs CreateSecurityGroup --RegionId $REGION \
			    --VpcId "$vpc"
			gid=$(jget .SecurityGroupId)
		fi
		pps_authorize "$gid" $g
		[ $g -eq 0 ] || must ecs JoinSecurityGroup --InstanceId "$RX" \
		    --SecurityGroupId "$gid"
		g=$((g + 1))
	done
	api wait --seconds 120 || die "pps wait"
	ip netns exec "$HOSTNS" nft list ruleset >"$T/pps-ruleset.log"
	pps_rx_counter "$RX"
	pps_rx_counter "$RX1"
	echo "dp: pps setup: $PPS_REPS floods of $PPS_SECS s per figure," \
	    "64 B payload; flow floods stop at $PPS_FLOW_MAX datagrams;" \
	    "nf_conntrack_max $(cat /proc/sys/net/netfilter/nf_conntrack_max)" \
	    "(global)"
	pps_phase ours1 ours500

	# The agent leaves its tables in the kernel when killed; without it
	# nothing restores sk_fwd (its drift check would).
	kill "$AGENT_PID"
	wait "$AGENT_PID" 2>/dev/null
	AGENT_PID=""
	printf '%s\n' "flush chain inet sekisho sk_fwd" \
	    "add rule inet sekisho sk_fwd accept" |
	    ip netns exec "$HOSTNS" nft -f - || die "pps floor"
	pps_phase floor
	pps_linear | ip netns exec "$HOSTNS" nft -f - || die "pps linear"
	pps_phase linear500

	for k in est new1 flow; do
		for v in R B; do
			o1=$(pps_get "${v}_${k}_ours1")
			o5=$(pps_get "${v}_${k}_ours500")
			fl=$(pps_get "${v}_${k}_floor")
			li=$(pps_get "${v}_${k}_linear500")
			w="medians"
			[ $v = B ] && w="maxima"
			echo "dp: pps ratios $k ($w): ours500/ours1" \
			    "$(pps_ratio "$o5" "$o1"), linear500/ours500" \
			    "$(pps_ratio "$li" "$o5"); vs floor: ours1" \
			    "$(pps_ratio "$o1" "$fl"), ours500" \
			    "$(pps_ratio "$o5" "$fl"), linear500" \
			    "$(pps_ratio "$li" "$fl")"
		done
		# Floods to RX1 and to RX were neighbours in time.
		echo "dp: pps ratio ours500/ours1 $k, paired by round: $(paste \
		    -d ' ' "$T/pps.$k.ours500" "$T/pps.$k.ours1" | awk '{
		    r[NR] = $1 / $3; l = l sprintf(" %.3f", r[NR]) } END {
		    printf "median %.3f (rounds:%s)", median(r, NR), l }
		    function median(a, n,  i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
					t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
				}
			return a[int((n + 1) / 2)]
		    }')"
	done
}

# pps_rule G I: "PORT CIDR" of rule I (1..100) of group number G (0..4):
# TCP, none matches a flood, all distinct, one shape.
pps_rule() {
	echo "$((1000 + $1 * 100 + $2)) 10.$((100 + $1)).$2.0/24"
}

# pps_authorize GROUPID G: G's rules, Permissions.N (100 a call); group 0
# (G itself) already holds the admitting rule, so 99 there.
pps_authorize() {
	gid=$1
	gn=$2
	set --
	i=1
	m=100
	[ "$gn" -eq 0 ] && m=99
	while [ $i -le $m ]; do
		r=$(pps_rule "$gn" $i)
		set -- "$@" --Permissions.$i.IpProtocol tcp \
		    --Permissions.$i.PortRange "${r%% *}/${r%% *}" \
		    --Permissions.$i.SourceCidrIp "${r#* }" \
		    --Permissions.$i.Priority 1
		i=$((i + 1))
	done
	must ecs AuthorizeSecurityGroup --RegionId $REGION \
	    --SecurityGroupId "$gid" "$@"
}

# pps_linear: the same 500 rules as one iptables-style chain: one rule
# each, in priority order, after `ct state established,related accept`.
pps_linear() {
	echo "table inet sk_linear {"
	echo "chain linear {"
	echo "type filter hook forward priority 0; policy drop;"
	echo "ct state established,related accept"
	for g in 0 1 2 3 4; do
		m=100
		[ "$g" -eq 0 ] && m=99
		i=1
		while [ $i -le $m ]; do
			pps_rule "$g" "$i"
			i=$((i + 1))
		done | awk '{printf "ip saddr %s tcp dport %d accept\n", $2, $1}'
	done
	echo "ip saddr 10.60.15.11 udp dport 7000-7099 accept"
	echo "}"
	echo "}"
}

# pps_rx_counter NS: RX (or RX1) counts (and drops, before its own stack)
# the 64-byte flood datagrams, so the figure is what the host forwarded;
# the 1-byte hello of the established flood passes to `dp_probe echo`.
pps_rx_counter() {
	printf '%s\n' "table ip skpps {" "counter rx { }" "chain c {" \
	    "type filter hook prerouting priority -500;" \
	    "udp dport 7000-7099 udp length 72 counter name rx drop" "}" "}" |
	    ip netns exec "$1" nft -f - || die "RX counter"
}

pps_rx_count() {
	ip netns exec "$1" nft list counter ip skpps rx |
	    awk '$1 == "packets" {print $2}'
}

# pps_ct: "entries insert_failed drop early_drop" of conntrack in
# the host namespace (/proc/net/stat/nf_conntrack: hex, one row a CPU).
pps_ct() {
	ip netns exec "$HOSTNS" cat /proc/net/stat/nf_conntrack | awk '
	function hex(s,  i, v) {
		v = 0
		s = tolower(s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	NR > 1 { e = hex($1); f += hex($10); d += hex($11); ed += hex($12) }
	END { printf "%d %d %d %d\n", e, f, d, ed }'
}

# pps_tx KIND NS ADDR: one flood from TX to the receiver in namespace NS
# at ADDR; prints "SENT SECONDS".
pps_tx() {
	case $1 in
	est)
		ip netns exec "$2" "$PROBE" echo 7000 5 >/dev/null &
		ep=$!
		sleep 0.2
		ip netns exec "$TX" "$PROBE" flood "$3" 7000 "$PPS_SECS"
		wait "$ep" ;;
	new1)
		ip netns exec "$TX" "$PROBE" flood1 "$3" 7000 "$PPS_SECS" ;;
	flow)
		ip netns exec "$TX" "$PROBE" rawflood 10.60.15.11 "$3" \
		    7001 99 "$PPS_SECS" "$PPS_FLOW_MAX" ;;
	esac | awk '$2 == "sent" {print $1, $3}'
}

# pps_drain: empties the host namespace's conntrack table (the last flow
# burst's entries: the kernel's gc, global, may take a minute to come by).
pps_drain() {
	ip netns exec "$HOSTNS" "$PROBE" ctflush || die "conntrack flush"
}

# pps_flood KIND NAME: one flood TX -> RX (NAME ours1: RX1) into an
# empty conntrack table
# (flow: it must not fill, nf_conntrack_max is global, or every datagram
# also pays an early drop); appends the forwarded and the sent pps to
# $T/pps.KIND.NAME and the conntrack deltas to $T/pps.ct.KIND.NAME.
pps_flood() {
	kind=$1
	name=$2
	ns=$RX
	addr=10.60.15.10
	if [ "$name" = ours1 ]; then
		ns=$RX1
		addr=10.60.15.12
	fi
	pps_drain
	# shellcheck disable=SC2046
	set -- $(pps_ct)
	f0=$2 d0=$3 e0=$4
	c0=$(pps_rx_count "$ns")
	# shellcheck disable=SC2046
	set -- $(pps_tx "$kind" "$ns" "$addr")
	[ $# -eq 2 ] || die "flood $kind failed"
	sleep 0.1
	c1=$(pps_rx_count "$ns")
	awk -v r="$((c1 - c0))" -v s="$1" -v t="$2" 'BEGIN {
	    printf "%.0f %.0f\n", r / t, s / t }' >>"$T/pps.$kind.$name"
	# shellcheck disable=SC2046
	set -- $(pps_ct)
	echo "$(($2 - f0)) $(($3 - d0)) $(($4 - e0))" >>"$T/pps.ct.$kind.$name"
}

# pps_phase NAME...: DP_PPS_REPS rounds of the three floods against the
# ruleset in place, to each NAME (interleaved: a slow spell of the machine
# hits all); one line per flood and NAME: the median forwarded pps (of
# the rounds), the range, the median sent by TX and the conntrack deltas.
pps_phase() {
	r=0
	while [ $r -lt "$PPS_REPS" ]; do
		for k in est new1 flow; do
			for nm in "$@"; do
				pps_flood "$k" "$nm"
			done
		done
		r=$((r + 1))
	done
	for nm in "$@"; do
		pps_report "$nm"
	done
}

pps_report() {
	for k in est new1 flow; do
		# shellcheck disable=SC2046
		set -- "$1" $(sort -n "$T/pps.$k.$1" | awk '{ v[NR] = $1; t[NR] = $2 }
		    END { m = int((NR + 1) / 2); print v[m], v[1], v[NR], t[m] }')
		eval "R_${k}_$1=$2 B_${k}_$1=$4"
		echo "dp: pps $k $1: $2 pps forwarded (median of $PPS_REPS" \
		    "floods of <= $PPS_SECS s; min $3, max $4; TX sent $5;" \
		    "kpps in order: $(awk '{ printf("%s%.0f", (NR > 1 ? " " : ""),
		    $1 / 1000) }' "$T/pps.$k.$1")); conntrack insert_failed," \
		    "drop, early_drop: $(awk '{ f += $1; d += $2; e += $3 }
		    END { print "+" f, "+" d, "+" e }' "$T/pps.ct.$k.$1")"
	done
}

pps_get() { eval "echo \${$1:-0}"; }

pps_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b > 0) printf "%.3f", a / b; else printf "-" }'
}

echo "dp: $(nproc) CPUs, $(uname -r), $(awk '/MemTotal/ {print $2}' \
    /proc/meminfo) kB, $(nft --version)"
for n in $SIZES; do
	run_size "$n"
done
