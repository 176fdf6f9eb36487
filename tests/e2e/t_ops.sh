#!/bin/sh
# Operations: the operator blocks (TCP 25 out, the high-risk ports both
# ways, internet only), stop/start/delete of an instance, an agent restart
# with an established TCP connection surviving (and a change made while
# the agent was down), drift (a rule deleted and a port set down behind
# the agent's back: restored and reported), --check (prints, changes
# nothing), the external driver with anti-spoofing, and the outside-host
# command's refusals.
. "$(dirname "$0")/lib.sh"

start_server
start_agent
VPC=$(mk_vpc 10.70.0.0/16)
VSW=$(mk_vsw "$VPC" 10.70.1.0/24)
SGX=$(mk_sg "$VPC")
allow_in "$SGX" --IpProtocol tcp --PortRange 445/445 --SourceCidrIp 10.70.0.0/16
allow_in "$SGX" --IpProtocol tcp --PortRange 5900/5901 --SourceCidrIp 0.0.0.0/0
allow_in "$SGX" --IpProtocol tcp --PortRange 7000/7000 --SourceCidrIp 10.70.0.0/16
X1=$(run_inst "$VSW" 10.70.1.10 "$SGX")
X2=$(run_inst "$VSW" 10.70.1.20 "$SGX")
outside o1$TAG 198.19.1.10
O1=o1$TAG
wait_sync
for p in 25 26 445 9000; do listen "$O1" $p; done
listen "$O1" 135 udp
listen "$O1" 136 udp
for p in 5900 5901 7000; do listen "$X1" $p; done
listen "$X2" 445

# ---- operator blocks --------------------------------------------------------
refuse "TCP 25 to the internet is blocked" tcp "$X1" 198.19.1.10 25
expect "TCP 26 to the internet passes" tcp "$X1" 198.19.1.10 26
refuse "TCP 445 to the internet is blocked" tcp "$X1" 198.19.1.10 445
refuse "UDP 135 to the internet is blocked" udp "$X1" "$O1" 198.19.1.10 135
expect "UDP 136 to the internet passes" udp "$X1" "$O1" 198.19.1.10 136
expect "TCP 445 inside the VPC passes (intranet)" tcp "$X1" 10.70.1.20 445
refuse "TCP 5900 from the internet is blocked despite an accept rule" \
    tcp "$O1" 10.70.1.10 5900
expect "TCP 5901 from the internet passes" tcp "$O1" 10.70.1.10 5901

# ---- stop / start / delete ------------------------------------------------------
port_of() { ip -n "$HOSTNS" -o link show | grep ":$1:" | sed 's/^[0-9]*: \([^@:]*\).*/\1/'; }
P2=$(port_of "$X2")
expect "X2 has a host port ($P2)" test -n "$P2"
must ecs StopInstance --InstanceId "$X2"
wait_sync
refuse "stopped instance unreachable" tcp "$X1" 10.70.1.20 445
expect "stopped instance's port is down" \
    sh -c "! ip -n $HOSTNS -o link show $P2 | grep -q ',UP'"
must ecs StartInstance --InstanceId "$X2"
wait_sync
expect "started again: reachable" tcp "$X1" 10.70.1.20 445
must ecs StopInstance --InstanceId "$X2"
must ecs DeleteInstance --InstanceId "$X2"
wait_sync
refuse "deleted instance: namespace gone" ip netns exec "$X2" true 2>/dev/null
refuse "deleted instance: port gone" ip -n "$HOSTNS" link show "$P2" 2>/dev/null

# ---- agent restart with an established connection ------------------------------
mkfifo "$T/fifo"
ip netns exec "$O1" socat -u TCP4-LISTEN:9001,reuseaddr \
    "OPEN:$T/recv,creat,append" 2>/dev/null &
PIDS="$PIDS $!"
sleep 0.1
exec 7<>"$T/fifo"
ip netns exec "$X1" socat -d -d -u "OPEN:$T/fifo" TCP4:198.19.1.10:9001 \
    2>"$T/sender.log" &
PIDS="$PIDS $!"
echo before >&7
i=0
while ! grep -q before "$T/recv" 2>/dev/null && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect "long connection: data before the restart" grep -q before "$T/recv"
[ -s "$T/recv" ] || sed 's/^/    sender: /' "$T/sender.log"
nft_host -a list chain inet sekisho sk_fwd >"$T/fwd.before"
stop_agent
# A change while no agent runs: applied as a delta at restart.
allow_in "$SGX" --IpProtocol tcp --PortRange 7001/7001 --SourceCidrIp 0.0.0.0/0
"$AGENT" --netns "$HOSTNS" --server "$EP" \
    --credentials "$T/data/agent-credentials.json" --state-dir "$T/state" \
    --check >"$T/check.out" 2>&1
[ -n "${E2E_DEBUG:-}" ] && cat "$T/check.out"
expect "--check prints the delta (the new rule)" \
    grep -q "tcp . 7001 comment" "$T/check.out"
refuse "--check changed nothing" sh -c \
    "ip netns exec $HOSTNS nft list table inet sekisho | grep -q 'tcp . 7001'"
start_agent
wait_sync
echo after >&7
i=0
while ! grep -q after "$T/recv" 2>/dev/null && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect "long connection: data after the restart" grep -q after "$T/recv"
expect "restart: the tables were not reloaded (same handles)" \
    sh -c "ip netns exec $HOSTNS nft -a list chain inet sekisho sk_fwd |
    cmp -s - $T/fwd.before"
expect "restart: the agent found the last applied state" \
    grep -q "match the last applied state" "$T/agent.log"
expect "the change made while down is applied" \
    sh -c "ip netns exec $HOSTNS nft list table inet sekisho | grep -q 'tcp . 7001'"
exec 7>&-
"$AGENT" --netns "$HOSTNS" --server "$EP" \
    --credentials "$T/data/agent-credentials.json" --state-dir "$T/state" \
    --check >"$T/check2.out" 2>&1
expect "--check with nothing to do says so" \
    sh -c "grep -q '(no change)' $T/check2.out && ! grep -q '^ip ' $T/check2.out"

# ---- drift -------------------------------------------------------------------------
expect "7000 allowed before the drift" tcp "$X1" 10.70.1.10 7000
CH=$(nft_host list map inet sekisho sk_in4 | grep -o "10.70.1.10 : jump p_[0-9a-f]*_in" |
    sed 's/.*jump //')
nft_host list chain inet sekisho "$CH" >"$T/chain.before"
H=$(nft_host -a list chain inet sekisho "$CH" | grep ' accept ' | head -1 |
    sed 's/.*handle //')
expect "found one of our accept rules (chain $CH, handle $H)" test -n "$H"
nft_host delete rule inet sekisho "$CH" handle "$H"
P1=$(port_of "$X1")
ip -n "$HOSTNS" link set "$P1" nomaster
ip netns exec "$HOSTNS" sh -c 'echo 0 >/proc/sys/net/ipv4/ip_forward'
i=0
until nft_host list chain inet sekisho "$CH" | cmp -s - "$T/chain.before" &&
    ip netns exec "$HOSTNS" cat /proc/sys/net/ipv4/ip_forward | grep -qx 1 &&
    [ -n "$(ip -n "$HOSTNS" -o link show "$P1" | grep master)" ] ||
    [ $i -ge 60 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect "drift: the deleted rule is restored" \
    sh -c "ip netns exec $HOSTNS nft list chain inet sekisho $CH |
    cmp -s - $T/chain.before"
expect "drift: the port is back on its bridge" \
    sh -c "ip -n $HOSTNS -o link show $P1 | grep -q 'master skv'"
expect "drift: forwarding is on again in the host namespace" \
    sh -c "ip netns exec $HOSTNS cat /proc/sys/net/ipv4/ip_forward | grep -qx 1"
sleep 0.5
api ecs DescribeEnforcementStatus --version-override 2026-12-01
expect "drift reported: the chain" \
    sh -c "jq -r '.Hosts.Host[0].Drift.Item[]' $T/out | grep -q 'rules inet sekisho $CH'"
expect "drift reported: the port" \
    sh -c "jq -r '.Hosts.Host[0].Drift.Item[]' $T/out | grep -q 'link $P1'"
expect "drift reported: the sysctl" \
    sh -c "jq -r '.Hosts.Host[0].Drift.Item[]' $T/out | grep -q 'ip_forward'"
[ -n "${E2E_DEBUG:-}" ] && jq -c . "$T/out"
expect "7000 allowed after the repair" tcp "$X1" 10.70.1.10 7000

# ---- external driver -----------------------------------------------------------------
X3=$(run_inst "$VSW" 10.70.1.30 "$SGX")
wait_sync
agent_api GetHostDesiredState --HostId host-local
ENI3=$(jq -r ".NetworkInterfaces[] | select(.InstanceId == \"$X3\") | .NetworkInterfaceId" "$T/out")
MAC3=$(jq -r ".NetworkInterfaces[] | select(.InstanceId == \"$X3\") | .MacAddress" "$T/out")
CTR=ctr$TAG
VX=vx$TAG
OUTSIDE="$OUTSIDE $CTR"
# A "container": its own namespace, the host end of its veth moved into
# the host namespace (what a runtime does before binding it).
ip netns add "$CTR"
ip link add "$VX" type veth peer name eth0 netns "$CTR"
ip link set "$VX" netns "$HOSTNS"
ip -n "$CTR" link set eth0 address "$MAC3"
ip -n "$CTR" addr add 10.70.1.30/24 dev eth0
ip -n "$CTR" link set eth0 up
ip -n "$CTR" route add default via 10.70.1.253
must ecs SetNetworkInterfaceDriver --version-override 2026-12-01 \
    --NetworkInterfaceId "$ENI3" --Driver external --HostInterface "$VX"
wait_sync
listen "$CTR" 7000
expect "external: bound to the bridge" \
    sh -c "ip -n $HOSTNS -o link show $VX | grep -q 'master skv'"
refuse "external: the local namespace is gone" ip netns exec "$X3" true 2>/dev/null
expect "external: reachable per the group's rules" tcp "$X1" 10.70.1.30 7000
ip -n "$CTR" addr del 10.70.1.30/24 dev eth0
ip -n "$CTR" addr add 10.70.1.31/24 dev eth0
ip -n "$CTR" route add default via 10.70.1.253 2>/dev/null
refuse "external: a spoofed address is dropped" tcp "$CTR" 10.70.1.10 7000

# ---- outside-host command ------------------------------------------------------------------
refuse "outside add refuses addresses outside 198.18.0.0/15" \
    "$AGENT" --netns "$HOSTNS" outside add bad$TAG 10.0.0.5 2>/dev/null
refuse "outside add refuses the gateway" \
    "$AGENT" --netns "$HOSTNS" outside add bad$TAG 198.19.255.253 2>/dev/null
refuse "outside del refuses an instance namespace" \
    "$AGENT" --netns "$HOSTNS" outside del "$X1" 2>/dev/null
expect "outside del removes an outside host" \
    "$AGENT" --netns "$HOSTNS" outside del "$O1"

# ---- the whole host namespace deleted behind the agent's back -----------------------
ip netns del "$HOSTNS"
i=0
until ip netns exec "$HOSTNS" nft list table inet sekisho >/dev/null 2>&1 &&
    ip -n "$HOSTNS" -o link show 2>/dev/null | grep -q ":$X1:.*" &&
    ip netns exec "$X1" ping -c 1 -W 1 -q 10.70.1.253 >/dev/null 2>&1 ||
    [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect "host namespace recreated with our tables" \
    sh -c "ip netns exec $HOSTNS nft list table inet sekisho >/dev/null"
expect "the instance's port is rebuilt: the gateway answers" \
    icmp "$X1" 10.70.1.253
sleep 1.5
api ecs DescribeEnforcementStatus --version-override 2026-12-01
expect "the vanished external interface is reported as an error" \
    sh -c "jq -r '.Hosts.Host[0].Error' $T/out | grep -q '$VX'"

finish
