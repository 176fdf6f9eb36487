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
# With DP_PPS=1, at the last size: forwarded packets/s TX -> RX (64-byte
# UDP payload, DP_PPS_SECONDS <= 10 per flood), three floods:
#   est   one flow (sendmmsg from one source port) after a hello that RX
#         answers: conntrack has seen a reply, every datagram is ct state
#         established (sk_fwd accepts it before any rule);
#   new1  the same without the hello: an unreplied UDP flow stays ct state
#         new, so every datagram walks the rules (no conntrack insert);
#   flow  a raw socket in TX (TX's own address and MAC: anti-spoofing),
#         destination port cycling over 7001..7099, source port over
#         1024..65535: every datagram is a new conntrack flow; in
#         DP_PPS_FLOW_BURSTS (3) bursts of at most DP_PPS_FLOW_MAX
#         (150000) datagrams, each once the host namespace's conntrack
#         has drained: a full table (nf_conntrack_max is global, 262144
#         here) makes every new flow pay an early drop too;
# each against four rulesets in turn:
#   ours1      RX's ENI admits the floods by G's one rule (udp 7000-7099
#              from TX);
#   ours500    RX in G + 4 new groups, 500 rules (the quota per ENI; the
#              admitting rule last in priority; 499 TCP rules of one
#              shape that no flood matches);
#   floor      the agent killed (the kernel keeps its tables), sk_fwd
#              holding only "accept": conntrack, sk_raw and the bridge
#              port checks stay;
#   linear500  floor + table inet sk_linear: a forward chain, policy drop,
#              `ct state established,related accept`, then the 500 rules
#              one nft rule each in priority order (iptables-style).
# RX counts the flood datagrams with an nft counter and drops them at its
# prerouting (so the figure is what the host forwarded, not what RX's own
# stack keeps up with). nf_conntrack_udp_timeout in the host namespace is
# DP_PPS_CT_TIMEOUT (1 s) during the floods, so a burst's flows expire
# soon (the kernel's gc then reaps them). Printed: per flood and ruleset
# the pps forwarded (TX's sent rate beside it) and the conntrack figures,
# then the ratios.
#
#   sh bench/dp_bench.sh            (after make; root)
# Knobs: DP_SIZES, DP_CHANGES (default 20), DP_PROBE_USEC (500), DP_PPS,
# DP_PPS_SECONDS (5), DP_PPS_CT_TIMEOUT (1), DP_PPS_FLOW_BURSTS (3),
# DP_PPS_FLOW_MAX (150000), DP_KEEP_LOGS (a directory that receives the
# server's and the agent's logs; with DP_PPS, pps-ruleset.log: the host
# namespace's ruleset with 500 rules), BUILD. Prints one "dp:" line per
# figure.
set -u
cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
SIZES=${DP_SIZES:-10 100 1000}
CHANGES=${DP_CHANGES:-20}
PUSEC=${DP_PROBE_USEC:-500}
PPS=${DP_PPS:-0}
PPS_SECS=${DP_PPS_SECONDS:-5}
PPS_CT_TIMEOUT=${DP_PPS_CT_TIMEOUT:-1}
PPS_BURSTS=${DP_PPS_FLOW_BURSTS:-3}
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

# pps_run: the forwarded packets/s figures (header comment, DP_PPS=1).
pps_run() {
	# No wait: dash's wait on the pipeline job can hang (stop_all).
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	PIDS=""
	# An odd DP_CHANGES leaves the latency rule; the 500 are the quota.
	api ecs RevokeSecurityGroup --RegionId $REGION --SecurityGroupId "$G" \
	    --IpProtocol udp --PortRange 5433/5433 --SourceCidrIp 10.60.15.11/32
	must ecs AuthorizeSecurityGroup --RegionId $REGION --SecurityGroupId "$G" \
	    --IpProtocol udp --PortRange 7000/7099 --SourceCidrIp 10.60.15.11/32 \
	    --Priority 100
	api wait --seconds 60 || die "pps wait"
	pps_rx_counter
	ip netns exec "$HOSTNS" sh -c "echo $PPS_CT_TIMEOUT \
	    >/proc/sys/net/netfilter/nf_conntrack_udp_timeout" ||
	    die "nf_conntrack_udp_timeout not writable"
	echo "dp: pps setup: nf_conntrack_max $(cat \
	    /proc/sys/net/netfilter/nf_conntrack_max) (global), udp timeout" \
	    "$PPS_CT_TIMEOUT s in $HOSTNS; flood $PPS_SECS s each, 64 B payload"
	pps_phase ours1

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
	api wait --seconds 120 || die "pps wait 500"
	ip netns exec "$HOSTNS" nft list ruleset >"$T/pps-ruleset.log"
	pps_phase ours500

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
		o1=$(pps_get "${k}_ours1")
		o5=$(pps_get "${k}_ours500")
		fl=$(pps_get "${k}_floor")
		li=$(pps_get "${k}_linear500")
		echo "dp: pps ratios $k: ours500/ours1 $(pps_ratio "$o5" "$o1")," \
		    "linear500/ours500 $(pps_ratio "$li" "$o5"); vs floor:" \
		    "ours1 $(pps_ratio "$o1" "$fl"), ours500" \
		    "$(pps_ratio "$o5" "$fl"), linear500 $(pps_ratio "$li" "$fl")"
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

# pps_rx_counter: RX counts (and drops, before its own stack) the 64-byte
# flood datagrams, so the figure is what the host forwarded; the 1-byte
# hello of the established flood passes to `dp_probe echo`.
pps_rx_counter() {
	printf '%s\n' "table ip skpps {" "counter rx { }" "chain c {" \
	    "type filter hook prerouting priority -500;" \
	    "udp dport 7000-7099 udp length 72 counter name rx drop" "}" "}" |
	    ip netns exec "$RX" nft -f - || die "RX counter"
}

pps_rx_count() {
	ip netns exec "$RX" nft list counter ip skpps rx |
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

# pps_tx KIND: one flood from TX; prints "SENT SECONDS".
pps_tx() {
	case $1 in
	est)
		ip netns exec "$RX" "$PROBE" echo 7000 5 >/dev/null &
		ep=$!
		sleep 0.2
		ip netns exec "$TX" "$PROBE" flood 10.60.15.10 7000 "$PPS_SECS"
		wait "$ep" ;;
	new1)
		ip netns exec "$TX" "$PROBE" flood1 10.60.15.10 7000 \
		    "$PPS_SECS" ;;
	flow)
		ip netns exec "$TX" "$PROBE" rawflood 10.60.15.11 10.60.15.10 \
		    7001 99 "$PPS_SECS" "$PPS_FLOW_MAX" ;;
	esac | awk '$2 == "sent" {print $1, $3}'
}

# pps_drain: waits (<= 30 s) for the host namespace's conntrack to hold
# fewer than 2000 entries (the last flow burst's, expired, reaped by the
# kernel's gc at some 30,000 a second here).
pps_drain() {
	w=0
	while [ $w -lt 60 ]; do
		# shellcheck disable=SC2046
		set -- $(pps_ct)
		[ "$1" -lt 2000 ] && return 0
		sleep 0.5
		w=$((w + 1))
	done
}

# pps_flood KIND: floods TX -> RX; sets TXPPS, RXPPS and CT (conntrack
# figures). est: one flow, replied (ct established); new1: one flow,
# unreplied (ct new: the rules walked, nothing inserted); flow: a new flow
# each datagram, in DP_PPS_FLOW_BURSTS bursts of at most DP_PPS_FLOW_MAX
# datagrams, each once conntrack has drained: the table (nf_conntrack_max
# is global) must not fill, or every datagram also pays an early drop.
pps_flood() {
	kind=$1
	# shellcheck disable=SC2046
	set -- $(pps_ct)
	f0=$2 d0=$3 e0=$4
	emax=0 sent=0 secs=0 rx=0 b=0 nb=1
	[ "$kind" = flow ] && nb=$PPS_BURSTS
	while [ $b -lt "$nb" ]; do
		[ "$kind" = flow ] && pps_drain
		# shellcheck disable=SC2046
		set -- $(pps_ct)
		[ "$1" -gt "$emax" ] && emax=$1
		c0=$(pps_rx_count)
		# shellcheck disable=SC2046
		set -- $(pps_tx "$kind")
		[ $# -eq 2 ] || die "flood $kind failed"
		sleep 0.1
		c1=$(pps_rx_count)
		sent=$((sent + $1))
		secs=$(awk -v a="$secs" -v b="$2" 'BEGIN {print a + b}')
		rx=$((rx + c1 - c0))
		b=$((b + 1))
	done
	# shellcheck disable=SC2046
	set -- $(pps_ct)
	TXPPS=$(awk -v a="$sent" -v t="$secs" 'BEGIN {printf "%.0f", a / t}')
	RXPPS=$(awk -v a="$rx" -v t="$secs" 'BEGIN {printf "%.0f", a / t}')
	CT="$sent sent in $secs s ($nb burst(s)); conntrack: entries at start"
	CT="$CT <= $emax, early_drop +$(($4 - e0)), drop +$(($3 - d0)),"
	CT="$CT insert_failed +$(($2 - f0))"
}

# pps_phase NAME: the three floods against the ruleset in place.
pps_phase() {
	for k in est new1 flow; do
		pps_flood "$k"
		eval "R_${k}_$1=$RXPPS"
		echo "dp: pps $k $1: $RXPPS pps forwarded (TX sent $TXPPS pps;" \
		    "$CT)"
	done
}

pps_get() { eval "echo \${R_$1:-0}"; }

pps_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b > 0) printf "%.3f", a / b; else printf "-" }'
}

echo "dp: $(nproc) CPUs, $(uname -r), $(awk '/MemTotal/ {print $2}' \
    /proc/meminfo) kB, $(nft --version)"
for n in $SIZES; do
	run_size "$n"
done
