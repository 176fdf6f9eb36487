#!/bin/sh
# Group semantics on real traffic: intra-group access (default Accept,
# then InnerAccessPolicy Drop), isolation between groups until a group
# reference, drop over accept at equal priority, a higher-priority accept
# over a lower-priority drop, an enterprise group's whitelist (no
# intra-group access, egress denied by default), and membership changes
# (join/leave) that take effect as set-element changes without touching
# the other ENIs' chains.
. "$(dirname "$0")/lib.sh"

start_server
start_agent
VPC=$(mk_vpc 10.60.0.0/16)
VSA=$(mk_vsw "$VPC" 10.60.1.0/24)
VSB=$(mk_vsw "$VPC" 10.60.2.0/24)
SGA=$(mk_sg "$VPC")
SGB=$(mk_sg "$VPC")
SGC=$(mk_sg "$VPC")
SGE=$(mk_sg "$VPC" enterprise)
A1=$(run_inst "$VSA" 10.60.1.10 "$SGA")
A2=$(run_inst "$VSB" 10.60.2.10 "$SGA")
B1=$(run_inst "$VSA" 10.60.1.20 "$SGB")
C1=$(run_inst "$VSA" 10.60.1.40 "$SGC")
E1=$(run_inst "$VSA" 10.60.1.30 "$SGE")
E2=$(run_inst "$VSA" 10.60.1.31 "$SGE")
wait_sync
for ns in "$A1" "$A2" "$B1" "$C1" "$E1" "$E2"; do
	for p in 7000 7001 7002 7003 7004 7005 7006; do listen "$ns" $p; done
done

# Intra-group access by default (across vSwitches: routed by the host).
expect "same group, other vSwitch: A1 -> A2" tcp "$A1" 10.60.2.10 7000
expect "same group: A2 -> A1" tcp "$A2" 10.60.1.10 7000
expect "same group: ICMP" icmp "$A1" 10.60.2.10
# Isolation between groups.
refuse "other group: A1 -> B1" tcp "$A1" 10.60.1.20 7000
refuse "other group: B1 -> A1" tcp "$B1" 10.60.1.10 7000
# ...until a group reference.
allow_in "$SGB" --IpProtocol tcp --PortRange 7000/7000 --SourceGroupId "$SGA"
wait_sync
expect "group reference: A1 -> B1" tcp "$A1" 10.60.1.20 7000
expect "group reference: A2 -> B1 (every member)" tcp "$A2" 10.60.1.20 7000
refuse "group reference is one-way: B1 -> A1" tcp "$B1" 10.60.1.10 7000

# InnerAccessPolicy Drop.
must ecs ModifySecurityGroupPolicy --RegionId $REGION --SecurityGroupId "$SGA" \
    --InnerAccessPolicy Drop
wait_sync
refuse "InnerAccessPolicy Drop: A1 -> A2" tcp "$A1" 10.60.2.10 7000
refuse "InnerAccessPolicy Drop: A2 -> A1" tcp "$A2" 10.60.1.10 7000
expect "group reference still works" tcp "$A1" 10.60.1.20 7000

# Drop wins at equal priority.
allow_in "$SGB" --IpProtocol tcp --PortRange 7001/7001 --SourceCidrIp 10.60.1.10 \
    --Priority 5
allow_in "$SGB" --IpProtocol tcp --PortRange 7001/7001 --SourceCidrIp 10.60.1.10 \
    --Priority 5 --Policy drop
# A higher-priority accept beats a lower-priority drop.
allow_in "$SGB" --IpProtocol tcp --PortRange 7002/7002 --SourceCidrIp 10.60.1.10 \
    --Priority 1
allow_in "$SGB" --IpProtocol tcp --PortRange 7002/7002 --SourceCidrIp 0.0.0.0/0 \
    --Priority 2 --Policy drop
wait_sync
refuse "drop over accept at equal priority" tcp "$A1" 10.60.1.20 7001
expect "priority 1 accept over priority 2 drop" tcp "$A1" 10.60.1.20 7002
refuse "the priority 2 drop for everyone else" tcp "$A2" 10.60.1.20 7002

# Enterprise group: only its whitelist.
allow_in "$SGE" --IpProtocol tcp --PortRange 7003/7003 --SourceCidrIp 10.60.1.10/32
allow_out "$SGE" --IpProtocol tcp --PortRange 7000/7000 --DestCidrIp 10.60.1.10/32
allow_in "$SGA" --IpProtocol tcp --PortRange 7000/7000 --SourceCidrIp 10.60.1.30
allow_in "$SGA" --IpProtocol tcp --PortRange 7004/7004 --SourceCidrIp 10.60.1.30
wait_sync
expect "enterprise: whitelisted inbound" tcp "$A1" 10.60.1.30 7003
refuse "enterprise: inbound not whitelisted" tcp "$A2" 10.60.1.30 7003
expect "enterprise: whitelisted outbound" tcp "$E1" 10.60.1.10 7000
refuse "enterprise: outbound not whitelisted (peer would accept)" \
    tcp "$E1" 10.60.1.10 7004
refuse "enterprise: no intra-group access" tcp "$E2" 10.60.1.30 7005

# Membership: C1 accepts 7006 from group B's members only.
allow_in "$SGC" --IpProtocol tcp --PortRange 7006/7006 --SourceGroupId "$SGB"
wait_sync
refuse "before join: A1 -> C1" tcp "$A1" 10.60.1.40 7006
expect "member of B: B1 -> C1" tcp "$B1" 10.60.1.40 7006
nft_host -a list table inet sekisho >"$T/before" 2>&1
must ecs JoinSecurityGroup --InstanceId "$A1" --SecurityGroupId "$SGB"
wait_sync
expect "after join: A1 -> C1" tcp "$A1" 10.60.1.40 7006
expect "the join is an element of group B's set" \
    sh -c "ip netns exec $HOSTNS nft list set inet sekisho g_${SGB}_4 |
    grep -q 10.60.1.10"
nft_host -a list table inet sekisho >"$T/after" 2>&1
# C1's and B1's profile chains were not rewritten: same rule handles.
for ns_ip in 10.60.1.40 10.60.1.20; do
	ch=$(nft_host list map inet sekisho sk_in4 |
	    grep -o "\"skv[0-9]*\" \. $ns_ip : jump p_[0-9a-f]*_in" |
	    sed 's/.*jump //')
	expect "chain $ch of $ns_ip kept its rules (handles)" \
	    sh -c "[ -n '$ch' ] && sed -n '/chain $ch {/,/}/p' $T/before |
	    grep handle >$T/b1 && sed -n '/chain $ch {/,/}/p' $T/after |
	    grep handle >$T/a1 && cmp -s $T/b1 $T/a1"
	[ -n "${E2E_DEBUG:-}" ] && diff "$T/b1" "$T/a1"
done
must ecs LeaveSecurityGroup --InstanceId "$A1" --SecurityGroupId "$SGB"
wait_sync
refuse "after leave: A1 -> C1" tcp "$A1" 10.60.1.40 7006
expect "B1 unaffected by the leave" tcp "$B1" 10.60.1.40 7006

# A secondary ENI: its own groups, its own interface (eth1) in the instance.
must ecs CreateNetworkInterface --RegionId $REGION --VSwitchId "$VSA" \
    --SecurityGroupId "$SGC" --PrimaryIpAddress 10.60.1.50
ENI2=$(jget .NetworkInterfaceId)
allow_in "$SGC" --IpProtocol tcp --PortRange 7007/7007 --SourceCidrIp 10.60.1.10
must ecs AttachNetworkInterface --RegionId $REGION --NetworkInterfaceId "$ENI2" \
    --InstanceId "$B1"
wait_sync
listen "$B1" 7007
expect "secondary ENI: eth1 carries its address" \
    sh -c "ip -n $B1 -br addr show eth1 | grep -q 10.60.1.50/24"
expect "secondary ENI: its group's rule opens its address" \
    tcp "$A1" 10.60.1.50 7007
refuse "secondary ENI: the primary ENI's groups do not have that rule" \
    tcp "$A1" 10.60.1.20 7007
must ecs DetachNetworkInterface --RegionId $REGION --NetworkInterfaceId "$ENI2" \
    --InstanceId "$B1"
wait_sync
refuse "detached: eth1 is gone" ip -n "$B1" link show eth1 2>/dev/null
refuse "detached: its address is unreachable" tcp "$A1" 10.60.1.50 7007

finish
