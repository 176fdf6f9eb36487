#!/bin/sh
# The seed document's scenarios on real traffic (seed-spec §1.8): SSH only
# from one address, HTTP/HTTPS/8080 from everywhere, remote login from the
# internet, outbound only to one address, access by group reference, and
# replies of allowed connections (SPI). Also measures the enforcement
# latency: from the API call's return to the first packet that passes.
. "$(dirname "$0")/lib.sh"

start_server
start_agent
VPC=$(mk_vpc 10.50.0.0/16)
VSW=$(mk_vsw "$VPC" 10.50.1.0/24)
SRV_SG=$(mk_sg "$VPC")
CLI_SG=$(mk_sg "$VPC")
OUT_SG=$(mk_sg "$VPC")
SRV=$(run_inst "$VSW" 10.50.1.10 "$SRV_SG")
CLI1=$(run_inst "$VSW" 10.50.1.11 "$CLI_SG")
CLI2=$(run_inst "$VSW" 10.50.1.12 "$CLI_SG")
CLI3=$(run_inst "$VSW" 10.50.1.13 "$OUT_SG")
outside o1$TAG 198.19.0.10
outside o2$TAG 198.19.0.11
O1=o1$TAG
O2=o2$TAG
wait_sync

expect "instance namespaces exist, named by InstanceId" \
    ip netns exec "$SRV" true
expect "eth0 carries the private address" \
    sh -c "ip -n $SRV -br addr show eth0 | grep -q 10.50.1.10/24"
expect "eth0 has the ENI's MAC" \
    sh -c "ip -n $SRV -br link show eth0 | grep -q 00:16:3e"
expect "default route via the vSwitch gateway" \
    sh -c "ip -n $SRV route | grep -q 'default via 10.50.1.253'"

for p in 22 80 443 8080 81 3389 5432; do listen "$SRV" $p; done
for ns in "$O1" "$O2" "$CLI3"; do listen "$ns" 80; done

# A group without rules: inbound denied, outbound allowed.
refuse "new group: inbound denied (80 from a peer)" tcp "$CLI1" 10.50.1.10 80
expect "new group: outbound allowed (to the internet)" tcp "$SRV" 198.19.0.10 80

# Scenario 2: SSH only from 10.50.1.11.
allow_in "$SRV_SG" --IpProtocol tcp --PortRange 22/22 --SourceCidrIp 10.50.1.11
# Scenario 5: web ports from everywhere.
for p in 80/80 443/443 8080/8080; do
	allow_in "$SRV_SG" --IpProtocol tcp --PortRange $p --SourceCidrIp 0.0.0.0/0
done
# Scenario 4: remote login from the internet.
allow_in "$SRV_SG" --IpProtocol tcp --PortRange 3389/3389 --SourceCidrIp 0.0.0.0/0
wait_sync
expect "SSH from the allowed address" tcp "$CLI1" 10.50.1.10 22
refuse "SSH from another instance" tcp "$CLI2" 10.50.1.10 22
refuse "SSH from the internet" tcp "$O1" 10.50.1.10 22
for p in 80 443 8080; do
	expect "TCP $p open to an instance" tcp "$CLI2" 10.50.1.10 $p
	expect "TCP $p open to the internet" tcp "$O1" 10.50.1.10 $p
done
refuse "TCP 81 (no rule) closed" tcp "$O1" 10.50.1.10 81
expect "RDP 3389 from the internet" tcp "$O2" 10.50.1.10 3389

# Scenario 3: outbound only to 198.19.0.10.
allow_out "$OUT_SG" --IpProtocol all --PortRange -1/-1 --DestCidrIp 0.0.0.0/0 \
    --Policy drop --Priority 2
allow_out "$OUT_SG" --IpProtocol all --PortRange -1/-1 \
    --DestCidrIp 198.19.0.10 --Priority 1
wait_sync
expect "outbound to the allowed address" tcp "$CLI3" 198.19.0.10 80
refuse "outbound to another internet address" tcp "$CLI3" 198.19.0.11 80
refuse "outbound to another instance" tcp "$CLI3" 10.50.1.10 80
refuse "ICMP outbound to another address" icmp "$CLI3" 198.19.0.11
# SPI: the answers above came back through CLI3's ingress gate, which has
# no rule at all; a new connection the other way is refused.
refuse "SPI: a new inbound connection to CLI3 is refused" \
    tcp "$O1" 10.50.1.13 80

# Scenario 1: another group by reference, priority 1.
refuse "5432 from the client group before the rule" tcp "$CLI2" 10.50.1.10 5432
allow_in "$SRV_SG" --IpProtocol tcp --PortRange 5432/5432 \
    --SourceGroupId "$CLI_SG" --Priority 1
wait_sync
expect "5432 from the client group by reference" tcp "$CLI2" 10.50.1.10 5432

# Enforcement latency: a UDP stream (a datagram per millisecond) runs
# before the rule exists; the time from the API call's return to the first
# datagram delivered.
ip netns exec "$SRV" sh -c "socat -u UDP4-RECV:5433 - | head -c 1 >/dev/null;
    date +%s%N >$T/first" 2>/dev/null &
PIDS="$PIDS $!"
ip netns exec "$CLI2" sh -c "while :; do echo x; sleep 0.001; done |
    socat -u - UDP4-SENDTO:10.50.1.10:5433" 2>/dev/null &
PIDS="$PIDS $!"
sleep 0.3
refuse "UDP 5433 not delivered before the rule" test -s "$T/first"
allow_in "$SRV_SG" --IpProtocol udp --PortRange 5433/5433 \
    --SourceGroupId "$CLI_SG" --Priority 1
t0=$(date +%s%N)
i=0
while [ ! -s "$T/first" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
expect "UDP 5433 delivered after the rule" test -s "$T/first"
[ -s "$T/first" ] && echo "    enforcement latency (API return -> first" \
    "datagram delivered): $(( ($(cat "$T/first") - t0) / 1000000 )) ms"
refuse "5432 from the internet" tcp "$O1" 10.50.1.10 5432
refuse "5432 from a third group" tcp "$CLI3" 10.50.1.10 5432

finish
