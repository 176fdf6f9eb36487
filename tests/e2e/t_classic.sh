#!/bin/sh
# The classic network: an instance has an intranet NIC (skclassic,
# 192.168.0.0/16) and an internet NIC (skinet, its public address); rules
# of NicType internet and intranet apply to their own NIC only. Seed
# scenario 1 across accounts: a group reference naming the other account.
. "$(dirname "$0")/lib.sh"

start_server
start_agent
"$SRV" account create --data-dir "$T/data" --name other >"$T/acct2" 2>&1 ||
    die "account create: $(cat "$T/acct2")"
ACCT2=$(jq -r .AccountId "$T/acct2")
# api2: the other account's calls.
api2() {
	"$CLI" --endpoint "$EP" --access-key-id "$(jq -r .AccessKeyId "$T/acct2")" \
	    --access-key-secret "$(jq -r .AccessKeySecret "$T/acct2")" \
	    "$@" >"$T/out" 2>"$T/err" || die "$2 (other account): $(cat "$T/out")"
}

must ecs CreateSecurityGroup --RegionId $REGION
SG1=$(jget .SecurityGroupId)
must ecs CreateSecurityGroup --RegionId $REGION
SG3=$(jget .SecurityGroupId)
api2 ecs CreateSecurityGroup --RegionId $REGION
SG2=$(jget .SecurityGroupId)
allow_in "$SG1" --IpProtocol tcp --PortRange 80/80 --SourceCidrIp 0.0.0.0/0 \
    --NicType internet
allow_in "$SG1" --IpProtocol tcp --PortRange 8000/8000 --SourceGroupId "$SG2" \
    --SourceGroupOwnerAccount "$ACCT2" --NicType intranet
must ecs RunInstances --RegionId $REGION --SecurityGroupIds.1 "$SG1" \
    --InstanceType ecs.g7.large --ImageId img-1
C1=$(jget '.InstanceIdSets.InstanceIdSet[0]')
must ecs RunInstances --RegionId $REGION --SecurityGroupIds.1 "$SG3" \
    --InstanceType ecs.g7.large --ImageId img-1
C3=$(jget '.InstanceIdSets.InstanceIdSet[0]')
api2 ecs RunInstances --RegionId $REGION --SecurityGroupIds.1 "$SG2" \
    --InstanceType ecs.g7.large --ImageId img-1
C2=$(jget '.InstanceIdSets.InstanceIdSet[0]')
outside oc$TAG 198.19.5.5
wait_sync
agent_api GetHostDesiredState --HostId host-local
addr() { jq -r ".NetworkInterfaces[] | select(.InstanceId == \"$1\") | .$2" "$T/out"; }
PRIV1=$(addr "$C1" PrivateIpAddress)
PUB1=$(addr "$C1" PublicIpAddress)
for p in 80 81 8000; do listen "$C1" $p; done

expect "classic: intranet NIC eth0 on 192.168.0.0/16" \
    sh -c "ip -n $C1 -br addr show eth0 | grep -q '$PRIV1/16'"
expect "classic: internet NIC eth1 with the public address" \
    sh -c "ip -n $C1 -br addr show eth1 | grep -q '$PUB1/15'"
expect "internet rule: 80 from the internet to the public address" \
    tcp "oc$TAG" "$PUB1" 80
refuse "internet: 81 (no rule)" tcp "oc$TAG" "$PUB1" 81
refuse "the internet cannot reach the intranet address" \
    tcp "oc$TAG" "$PRIV1" 80
refuse "an internet rule does not open the intranet NIC" tcp "$C3" "$PRIV1" 80
expect "cross-account group reference on the intranet NIC" \
    tcp "$C2" "$PRIV1" 8000
refuse "another group of the same account is not the referenced one" \
    tcp "$C3" "$PRIV1" 8000
refuse "an intranet rule does not open the internet NIC" \
    tcp "$C2" "$PUB1" 8000
expect "classic instance reaches the internet" icmp "$C1" 198.19.5.5

finish
