#!/bin/sh
# All-in-one: one command (`sekishod --all-in-one`, what `make run` uses)
# starts the server and the local agent; with --user the server gives up
# root after starting the agent, which stays the only root process.
# Instances created through the API get namespaces and obey their groups.
. "$(dirname "$0")/lib.sh"

start_server --all-in-one --agent "$AGENT" --user nobody \
    --agent-args "--netns $HOSTNS --state-dir $T/state --drift-interval 1"
VPC=$(mk_vpc 10.60.0.0/16)
VSW=$(mk_vsw "$VPC" 10.60.1.0/24)
SG=$(mk_sg "$VPC")
OTHER=$(mk_sg "$VPC")
A=$(run_inst "$VSW" 10.60.1.10 "$SG")
B=$(run_inst "$VSW" 10.60.1.11 "$SG")
C=$(run_inst "$VSW" 10.60.1.12 "$OTHER")
wait_sync

expect "all-in-one: the agent made the instance namespaces" \
    ip netns exec "$A" true
expect "same group: members reach each other (InnerAccessPolicy Accept)" \
    icmp "$A" 10.60.1.11
refuse "different groups: isolated until a rule allows it" \
    icmp "$C" 10.60.1.10
must ecs AuthorizeSecurityGroup --RegionId "$REGION" --SecurityGroupId "$SG" \
    --Permissions.1.IpProtocol icmp --Permissions.1.PortRange=-1/-1 \
    --Permissions.1.SourceGroupId "$OTHER"
wait_sync
expect "after a group-reference rule and sekisho wait: allowed" \
    icmp "$C" 10.60.1.10
expect "the server runs as nobody" \
    sh -c "grep -Eq '^Uid:[[:space:]]+65534[[:space:]]' /proc/$SRV_PID/status"
# The agent: the server's child process.
AGPID=""
for st in /proc/[0-9]*/status; do
	if grep -Eq "^PPid:[[:space:]]+$SRV_PID\$" "$st" 2>/dev/null; then
		AGPID=$(basename "$(dirname "$st")")
	fi
done
expect "the agent (the server's child) keeps root" \
    grep -Eq '^Uid:[[:space:]]+0[[:space:]]' "/proc/$AGPID/status"
kill "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
SRV_PID=""
# gone PID: the process ended (a zombie counts: init may reap it late).
gone() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -Eq '^State:[[:space:]]+[^Z]' "/proc/$1/status" 2>/dev/null ||
		    return 0
		sleep 1
	done
	return 1
}
expect "stopping the server stops its agent" gone "$AGPID"
finish
