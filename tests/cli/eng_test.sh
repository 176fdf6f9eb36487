#!/bin/sh
# Black-box tests of the decision-engine commands of the sekisho CLI
# (explain, rules, reach, analyze) against a real sekishod on 127.0.0.1:
# the verdict, gate and rule a person reads, the seed's scenario 3
# (outbound only to one IP), what-if parameters passed through, shadowed
# lines, reachability from instances and the internet, the analysis
# warnings, --json, and the usage / API-error exit statuses.
# Last line: "eng: N passed, N failed".
#
# Usage: sh tests/cli/eng_test.sh      (BUILD=dir to test another build)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need python3 'needed to read the JSON answers'
SHOW_OUT=16
start_server

# field PATH: a field of the last answer ($T/out), e.g. VpcId or
# InstanceIdSets.InstanceIdSet.0
field() {
	python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$T/out" "$1"
}

# setup ARGS...: a call that must succeed (else the run stops).
setup() {
	run "$@"
	if [ "$RC" != 0 ]; then
		bad "setup: $*"
		finish
	fi
}

# --- the account: groups ga, gb; instances a (10.1.0.10) and b (.20) ----
setup vpc CreateVpc --RegionId $R --CidrBlock 10.0.0.0/8
VPC=$(field VpcId)
setup vpc CreateVSwitch --RegionId $R --VpcId "$VPC" --ZoneId cn-hangzhou-b \
    --CidrBlock 10.1.0.0/16
VSW=$(field VSwitchId)
setup ecs CreateSecurityGroup --RegionId $R --VpcId "$VPC"
GA=$(field SecurityGroupId)
setup ecs CreateSecurityGroup --RegionId $R --VpcId "$VPC"
GB=$(field SecurityGroupId)
setup ecs RunInstances --RegionId $R --InstanceType ecs.g6.large \
    --ImageId img1 --VSwitchId "$VSW" --SecurityGroupId "$GA" \
    --PrivateIpAddress 10.1.0.10
IA=$(field InstanceIdSets.InstanceIdSet.0)
setup ecs RunInstances --RegionId $R --InstanceType ecs.g6.large \
    --ImageId img1 --VSwitchId "$VSW" --SecurityGroupId "$GB" \
    --PrivateIpAddress 10.1.0.20
IB=$(field InstanceIdSets.InstanceIdSet.0)

# --- explain ---------------------------------------------------------------
run explain --from "$IA" --to "$IB" --tcp 22
t "explain: no rule, the ingress default drops" 0 \
    out '^DROP: tcp 10.1.0.10:40000 -> 10.1.0.20:22 (new)$' \
    out "^  egress .*($IA) *accept default (priority 110, Accept)" \
    out "^  ingress .*($IB) *DROP *default (priority 110, Drop)" \
    out '^Why: Dropped at the ingress of eni-'

setup sg authorize "$GB" --region $R --protocol tcp --port 22 --group "$GA"
run explain --from "$IA" --to "$IB" --tcp 22 --region $R
t "explain: the group rule accepts, named with its priority" 0 \
    out '^ACCEPT: ' \
    out "ingress .*accept *rule sgr-[a-z0-9]* of $GB (priority 1, Accept)" \
    out "the rule: tcp 22 from $GA" \
    out '^ingress  1  Rule  *1  *Accept'
run explain --from "$IA" --to "$IB" --tcp 23
t "explain: another port stays closed" 0 out '^DROP: '

# Seed scenario 3: outbound drop all at 2, accept one IP at 1.
setup sg authorize "$GA" --region $R --egress --protocol all \
    --cidr 0.0.0.0/0 --policy drop --priority 2
setup sg authorize "$GA" --region $R --egress --protocol all \
    --cidr 47.100.1.1/32 --priority 1
run explain --from "$IA" --to 47.100.1.1 --tcp 443
t "scenario 3: the allowed IP, by the priority-1 rule" 0 out '^ACCEPT: ' \
    out '^  egress .*accept *rule sgr-[a-z0-9]* of .*(priority 1, Accept)' \
    out '^  ingress  47.100.1.1 is outside: no gate' \
    out '^egress  *2  Rule  *2  *Drop'
run explain --from "$IA" --to 47.100.1.2 --udp 53
t "scenario 3: any other IP, dropped by the priority-2 rule" 0 \
    out '^DROP: udp ' out '^Why: Dropped at the egress .*priority 2, Drop'
run explain --from "$IA" --to 47.100.1.2 --tcp 53 --json
t "explain --json: the answer as sent" 0 out '"DecidingItem"' \
    out '"Verdict": "Drop"' !out '^Why:'
if json_ok "$T/out"; then
	ok "explain --json: one JSON document"
else
	bad "explain --json: one JSON document"
fi
run explain --from "$IB" --to "$IA" --tcp 40000 --sport 22 \
    --state established
t "explain: a reply passes by conntrack" 0 out '^ACCEPT: ' \
    out 'conntrack established'

# What-if: API parameters pass through; nothing is written.
run explain --from 198.51.100.7 --to "$IB" --tcp 3389
t "what-if: before, RDP from outside is dropped" 0 out '^DROP: '
run explain --from 198.51.100.7 --to "$IB" --tcp 3389 \
    --AddPermissions.1.SecurityGroupId "$GB" \
    --AddPermissions.1.Direction ingress \
    --AddPermissions.1.IpProtocol tcp --AddPermissions.1.PortRange 3389/3389 \
    --AddPermissions.1.SourceCidrIp 198.51.100.0/24
t "what-if: with the proposed rule it is accepted" 0 out '^ACCEPT: ' \
    out 'rule proposed-1 .*\[proposed\]' out 'nothing was changed'
run explain --from 198.51.100.7 --to "$IB" --tcp 3389
t "what-if: after, still dropped (nothing written)" 0 out '^DROP: '

# --- rules ---------------------------------------------------------------
setup sg authorize "$GB" --region $R --protocol tcp --port 1/1024 \
    --cidr 10.0.0.0/8 --policy drop --priority 1
setup sg authorize "$GB" --region $R --protocol tcp --port 22 \
    --cidr 10.1.0.0/16 --priority 5
run rules "$IB" --ingress
# The group rule (priority 1, Accept) is not reported: a group peer is
# covered only by a rule naming the same group (eng.h, eng_effective).
t "rules: the merged list in evaluation order, shadowed lines named" 0 \
    out '^ingress  1  0  *Accept  InnerAccessPolicy' \
    out '^ingress  2  1  *Drop  *sgr-.*tcp 1-1024 from 10.0.0.0/8' \
    out '^ingress  4  5  *Accept .*tcp 22 from 10.1.0.0/16  *SHADOWED by sgr-' \
    out '^ingress  5  110  *Drop  *Default' !out '^egress' \
    out '^5 lines, 1 of them never decide$'
run rules "$IB"
t "rules: both directions" 0 out '^egress  *1 ' out '^ingress  *1 '
run rules "$IB" --ingress --egress
t "rules: --ingress and --egress together is a usage error" 64 \
    err 'not both'

# --- reach ---------------------------------------------------------------
run reach --to "$IB" --tcp 22
t "reach --to: nobody (the drop at 1 wins), no internet address" 0 \
    out "^tcp/22 to $IB (eni-[a-z0-9]*): 0 of 1 network interfaces" \
    out '^internet: no address$'
run reach --to "$IB" --tcp 2222
t "reach --to: port 2222 from the group rule? no: default drop" 0 \
    out ': 0 of 1 '
run reach --from "$IA" --tcp 443
t "reach --from: scenario 3, only the one IP" 0 \
    out '^internet: 47.100.1.1/32$'
run reach --to "$IA" --from "$IB" --tcp 1
t "reach: --to and --from together is a usage error" 64 \
    err 'one of them'

# --- analyze -------------------------------------------------------------
setup sg authorize "$GB" --region $R --quick rdp --cidr 0.0.0.0/0 \
    --priority 50
run analyze "$GB"
t "analyze: RDP open to everyone is High" 0 \
    out "^High  *$GB  *sgr-[a-z0-9]*  *OpenAdministrativePort  *3389 " \
    out 'warnings* in 1 group$'
run analyze --region $R
t "analyze --region: every group" 0 out 'in 2 groups$'
run analyze
t "analyze: needs a group or a region" 64 err 'SG_ID or --region'
run analyze "$GB" --AddPermissions.1.SecurityGroupId "$GB"
t "analyze: takes no API parameter" 64 err 'no API parameter'

# --- errors and help -------------------------------------------------------
run explain --from i-doesnotexist --to "$IB" --tcp 22
t "explain: an unknown instance is the API's NotFound (exit 1)" 1 \
    err 'InvalidInstanceId.NotFound'
run explain --from "$IA" --tcp 22
t "explain: --to is required" 64 err 'needs --to'
run explain --from "$IA" --to "$IB" --tcp 22 --udp 53
t "explain: one protocol" 64 err 'give one of'
run explain --from "$IA" --to "$IB"
t "explain: a protocol is required" 64 err 'give one of'
run explain --from "$IA" --to "$IB" --tcp 22 --vpc "$VPC"
t "explain: options it does not take" 64 err 'does not take --vpc'
run rules
t "rules: needs the instance" 64 err 'usage: sekisho rules'
run explain --help
t "explain --help" 0 out '^usage: sekisho explain --from' out '--tcp PORT' \
    out 'AddPermissions'
run --help
t "sekisho --help lists the commands" 0 out '^  explain ' out '^  reach ' \
    out '^  sekisho '
run sekisho DescribeEffectiveRules --InstanceId "$IA"
t "the product word calls any action of 2026-12-01" 0 \
    out '"Rules"'

finish
