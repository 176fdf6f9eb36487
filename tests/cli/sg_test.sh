#!/bin/sh
# Black-box tests of the resource commands of the sekisho CLI (sg, vpc,
# vswitch, instance) against a real sekishod on 127.0.0.1: templates give
# exactly their rules (read back with `sekisho ecs
# DescribeSecurityGroupAttribute`), quick names map to their ports, egress
# and ingress, drop and priority, group peers, revoke by description and by
# rule id, the tables, --json, no half-made group when the template's rules
# fail, API/usage/config/network exit statuses.
# Last line: "sg: N passed, N failed".
#
# Usage: sh tests/cli/sg_test.sh      (BUILD=dir to test another build)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

need python3 'needed to read the JSON answers'
start_server

# same DESC FILE EXPECTED: FILE's content is EXPECTED (a string).
same() {
	printf '%s\n' "$3" >"$T/want"
	if cmp -s "$2" "$T/want"; then
		ok "$1"
	else
		nok "$1"
		diff "$T/want" "$2" | sed 's/^/    /' | head -20
	fi
}

# rules SG: the group's rules read back through the generic API call, one
# "direction protocol ports peer policy priority" line each, sorted, in
# $T/rules (the peer: the CIDR, or the group with its owner as owner/sg-).
rules() {
	run ecs DescribeSecurityGroupAttribute --RegionId $R \
	    --SecurityGroupId "$1"
	python3 - "$T/out" >"$T/rules" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
out = []
for p in d["Permissions"]["Permission"]:
    side = "Source" if p["Direction"] == "ingress" else "Dest"
    peer = (p[side + "CidrIp"] or p["Ipv6" + side + "CidrIp"] or
            p[side + "GroupId"])
    if p[side + "GroupOwnerAccount"]:
        peer = p[side + "GroupOwnerAccount"] + "/" + peer
    out.append("%s %s %s %s %s %s" % (p["Direction"], p["IpProtocol"],
               p["PortRange"], peer, p["Policy"], p["Priority"]))
print("\n".join(sorted(out)))
EOF
}

# field FILE EXPR: a value from the JSON in FILE (EXPR in Python, d = doc).
field() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
	    "$1" "$2" 2>/dev/null
}

# --- usage: exit 64 before any call (no credentials needed) -----------------
NOENV=1
run sg
t "sg without a verb -> 64 and the verbs" 64 err 'sg create' err 'sg revoke'
run sg frobnicate --region $R
t "unknown verb -> 64" 64 err "no verb 'frobnicate'"
run sg create --region $R --vpc vpc-1 --name web
t "create without --template -> 64" 64 err 'needs --template'
run sg create --region $R --vpc vpc-1 --name web --template nginx
t "unknown template -> 64" 64 err "unknown template 'nginx'"
run sg create --region $R --vpc vpc-1 --name web --template custom \
    --priority 3
t "--priority with the custom template -> 64" 64 err 'custom has none'
run sg authorize --region $R --quick ssh --cidr 1.2.3.4/32
t "authorize without SG_ID -> 64" 64 err 'needs SG_ID'
run sg authorize sg-1 --region $R --quick ftp --cidr 1.2.3.4/32
t "unknown quick name -> 64" 64 err "unknown quick rule 'ftp'"
run sg authorize sg-1 --region $R --quick ssh,,http --cidr 1.2.3.4/32
t "empty quick name in a list -> 64" 64 err "unknown quick rule ''"
run sg authorize sg-1 --region $R --cidr 1.2.3.4/32
t "no traffic -> 64" 64 err 'which traffic'
run sg authorize sg-1 --region $R --quick ssh --protocol tcp --port 22 \
    --cidr 1.2.3.4/32
t "--quick and --protocol -> 64" 64 err 'not both'
run sg authorize sg-1 --region $R --protocol tcp --cidr 1.2.3.4/32
t "--protocol tcp without --port -> 64" 64 err 'needs --port'
run sg authorize sg-1 --region $R --quick ssh --port 22 --cidr 1.2.3.4/32
t "--port without --protocol -> 64" 64 err 'goes with --protocol'
run sg authorize sg-1 --region $R --quick ssh
t "no peer -> 64" 64 err 'from/to where'
run sg authorize sg-1 --region $R --quick ssh --cidr 1.2.3.4/32 --group sg-2
t "--cidr and --group -> 64" 64 err 'not both'
run sg authorize sg-1 --region $R --quick ssh --cidr 1.2.3.4/32 \
    --group-owner 123
t "--group-owner without --group -> 64" 64 err 'goes with --group'
run sg revoke sg-1 --region $R --rule-id sgr-1 --quick ssh
t "--rule-id with a rule description -> 64" 64 err 'cannot be added'
run sg list --region $R --template custom
t "an option the verb does not take -> 64" 64 \
    err 'sg list does not take --template'
run sg list --region $R --RegionId $R
t "an API parameter on a verb -> 64" 64 err 'takes no API parameter'
run sg list --region $R --region cn-shanghai
t "an option given twice -> 64" 64 err 'given twice'
run sg list --region
t "an option without its value -> 64" 64 err 'needs a value'
run sg show sg-1 sg-2 --region $R
t "an extra word -> 64" 64 err "unexpected 'sg-2'"
run ecs DescribeRegions --region $R
t "command options are not for the generic call -> 64" 64 \
    err 'unknown option --region'
run vpc DescribeVpcs --region $R
t "vpc <Action> stays the generic call (no --region)" 64 \
    err 'unknown option --region'
run sg --help
t "sg --help lists the verbs" 0 out 'sg create .*--template' \
    out 'sg show SG_ID'
run sg authorize --help
t "sg authorize --help lists its options" 0 out '^  --quick' \
    out '^  --egress' !out '^  --template'
run sg list --region $R
t "no credentials -> 78" 78 err 'no AccessKey'
NOENV=0

# --- VPC and vSwitch ----------------------------------------------------------
run vpc create --region $R --cidr 10.20.0.0/16 --name demo
t "vpc create" 0 out '^vpc-[a-z0-9]* created in cn-hangzhou: 10.20.0.0/16$'
VPC=$(awk '{print $1}' "$T/out")
run vswitch create --vpc "$VPC" --zone cn-hangzhou-b --cidr 10.20.1.0/24 \
    --name web
t "vswitch create" 0 out "^vsw-[a-z0-9]* created in $VPC, cn-hangzhou-b"
VSW=$(awk '{print $1}' "$T/out")
run vpc list --region $R
t "vpc list: a table with the VPC" 0 out '^ID  *NAME  *CIDR' \
    out "^$VPC  *demo  *10.20.0.0/16  *Available"
run vswitch list --region $R --vpc "$VPC"
t "vswitch list: a table with the vSwitch" 0 \
    out "^$VSW  *web  *$VPC  *cn-hangzhou-b  *10.20.1.0/24"

# --- create from templates -----------------------------------------------------
run sg create --region $R --vpc "$VPC" --name web --template web-server-linux \
    --description 'front end'
t "create web-server-linux" 0 \
    out "^sg-[a-z0-9]* created in $VPC: .*template web-server-linux (4 rules)"
WEB=$(awk '{print $1}' "$T/out")
rules "$WEB"
same "web-server-linux has exactly TCP 80, 443, 22 and ICMP from 0.0.0.0/0" \
    "$T/rules" "ingress ICMP -1/-1 0.0.0.0/0 Accept 1
ingress TCP 22/22 0.0.0.0/0 Accept 1
ingress TCP 443/443 0.0.0.0/0 Accept 1
ingress TCP 80/80 0.0.0.0/0 Accept 1"
run ecs DescribeSecurityGroups --RegionId $R --SecurityGroupId "$WEB"
t "the group has its name, description and type" 0 \
    out '"SecurityGroupName": "web"' out '"Description": "front end"' \
    out '"SecurityGroupType": "normal"'

run sg create --region $R --vpc "$VPC" --name win \
    --template web-server-windows --json
t "create web-server-windows --json" 0 out '"SecurityGroupId": "sg-'
if json_ok "$T/out" && [ "$(field "$T/out" 'len(d)')" = 2 ]; then
	ok "create --json: a JSON array of the two answers"
else
	bad "create --json: a JSON array of the two answers"
fi
WIN=$(field "$T/out" 'd[0]["SecurityGroupId"]')
rules "$WIN"
same "web-server-windows has exactly TCP 80, 443, 3389 and ICMP" "$T/rules" \
    "ingress ICMP -1/-1 0.0.0.0/0 Accept 1
ingress TCP 3389/3389 0.0.0.0/0 Accept 1
ingress TCP 443/443 0.0.0.0/0 Accept 1
ingress TCP 80/80 0.0.0.0/0 Accept 1"

run sg create --region $R --vpc "$VPC" --name db --template custom
t "create custom" 0 out 'template custom (0 rules)'
DB=$(awk '{print $1}' "$T/out")
rules "$DB"
same "custom has no rules" "$T/rules" ""

run sg create --region $R --vpc "$VPC" --name ent --type enterprise \
    --template web-server-linux
t "an enterprise group from a template" 0 out 'type enterprise'

# --- no half-made group --------------------------------------------------------
run ecs DescribeSecurityGroups --RegionId $R
BEFORE=$(field "$T/out" 'd["TotalCount"]')
run sg create --region $R --vpc "$VPC" --name halfmade --type enterprise \
    --template web-server-linux --priority 5
t "template rules refused (enterprise + priority) -> 1, group deleted" 1 \
    err '^InvalidGroupParameter.OperationDenied: .* ([0-9A-F-]*)$' \
    err 'was deleted again' !out '.'
run ecs DescribeSecurityGroups --RegionId $R --SecurityGroupName halfmade
t "no group named halfmade is left" 0 out '"TotalCount": 0'
run ecs DescribeSecurityGroups --RegionId $R
check_after=$(field "$T/out" 'd["TotalCount"]')
if [ "$check_after" = "$BEFORE" ]; then
	ok "group count unchanged by the failed create ($BEFORE)"
else
	bad "group count unchanged by the failed create ($BEFORE -> $check_after)"
fi
run sg create --region $R --vpc vpc-nosuch --name x --template custom
t "create in an unknown VPC -> 1, Code on stderr" 1 \
    err '^InvalidVpcId.NotFound: ' !out '.'

# --- quick rules, protocols, directions, policies, peers ---------------------------
run sg authorize "$DB" --region $R \
    --quick ssh,telnet,http,https,mssql --quick oracle,MySQL,rdp \
    --quick postgresql --quick redis --cidr 10.1.0.0/16
t "authorize ten quick names" 0 \
    out "^$DB: authorized ingress tcp 3306 from 10.1.0.0/16 (accept, priority 1)$"
rules "$DB"
same "quick names map to their TCP ports" "$T/rules" \
    "ingress TCP 1433/1433 10.1.0.0/16 Accept 1
ingress TCP 1521/1521 10.1.0.0/16 Accept 1
ingress TCP 22/22 10.1.0.0/16 Accept 1
ingress TCP 23/23 10.1.0.0/16 Accept 1
ingress TCP 3306/3306 10.1.0.0/16 Accept 1
ingress TCP 3389/3389 10.1.0.0/16 Accept 1
ingress TCP 443/443 10.1.0.0/16 Accept 1
ingress TCP 5432/5432 10.1.0.0/16 Accept 1
ingress TCP 6379/6379 10.1.0.0/16 Accept 1
ingress TCP 80/80 10.1.0.0/16 Accept 1"

run sg revoke "$DB" --region $R --quick mysql --cidr 10.1.0.0/16
t "revoke by quick name" 0 out "^$DB: revoked ingress tcp 3306 from"
rules "$DB"
if ! grep -q 3306 "$T/rules" && [ "$(wc -l <"$T/rules")" -eq 9 ]; then
	ok "the mysql rule is gone, the nine others stay"
else
	bad "the mysql rule is gone, the nine others stay"
fi
run sg revoke "$DB" --region $R --quick ssh,telnet,http,https,mssql,oracle \
    --quick rdp,postgresql,redis --cidr 10.1.0.0/16
rules "$DB"
same "revoke a quick list empties the group" "$T/rules" ""

run sg authorize "$DB" --region $R --protocol tcp --port 8080/8090 \
    --cidr 1.2.3.4/32 --policy drop --description 'no proxy'
t "authorize a drop port range" 0 \
    out "tcp 8080/8090 from 1.2.3.4/32 (drop, priority 1)"
run sg authorize "$DB" --region $R --protocol udp --port 53 --cidr 10.0.0.0/8 \
    --priority 7
t "authorize udp 53 at priority 7" 0
run sg authorize "$DB" --region $R --protocol icmpv6 --cidr 2001:db8::/32
t "authorize icmpv6 from an IPv6 block" 0
run sg authorize "$DB" --region $R --quick ssh --cidr 10.20.0.0/16
t "authorize ssh (accept, priority 1)" 0
run sg authorize "$DB" --region $R --protocol all --cidr 0.0.0.0/0 --egress \
    --policy drop --priority 2
t "authorize egress drop all at priority 2" 0 \
    out "authorized egress all any to 0.0.0.0/0 (drop, priority 2)"
run sg authorize "$DB" --region $R --quick https --cidr 0.0.0.0/0 --egress
t "authorize egress https" 0
run sg authorize "$DB" --region $R --quick mysql --group "$WEB"
t "authorize a group peer" 0 out "tcp 3306 from $WEB"
OWNER=$( (run vpc DescribeVpcs --RegionId $R; field "$T/out" \
    'd["Vpcs"]["Vpc"][0]["OwnerId"]') )
run sg authorize "$DB" --region $R --quick postgresql --group "$WEB" \
    --group-owner "$OWNER"
t "authorize a group peer with its owner account" 0 \
    out "from $WEB of account $OWNER"
run sg authorize "$DB" --region $R --protocol udp --port 123 --group "$WIN" \
    --egress
t "authorize an egress group peer" 0 out "egress udp 123 to $WIN"
rules "$DB"
same "ports, protocols, directions, policies, priorities and peers" \
    "$T/rules" "egress ALL -1/-1 0.0.0.0/0 Drop 2
egress TCP 443/443 0.0.0.0/0 Accept 1
egress UDP 123/123 $WIN Accept 1
ingress ICMPV6 -1/-1 2001:db8::/32 Accept 1
ingress TCP 22/22 10.20.0.0/16 Accept 1
ingress TCP 3306/3306 $WEB Accept 1
ingress TCP 5432/5432 $OWNER/$WEB Accept 1
ingress TCP 8080/8090 1.2.3.4/32 Drop 1
ingress UDP 53/53 10.0.0.0/8 Accept 7"

run sg authorize "$DB" --region $R --quick ssh --cidr 10.20.0.0/16 --json
t "authorize --json" 0 out '"RequestId"'
if json_ok "$T/out"; then ok "authorize --json is valid JSON"
else bad "authorize --json is valid JSON"; fi
run sg authorize "$DB" --region $R --protocol tcp --port 99999 --cidr 1.1.1.1
t "a port the server refuses -> 1, Code on stderr" 1 \
    err '^InvalidParam.PortRange: .* ([0-9A-F-]*)$'

# --- show: the rules table, as evaluated ------------------------------------------
run sg show "$DB" --region $R
t "show: the group's attributes" 0 out "^SecurityGroupId  *$DB\$" \
    out '^SecurityGroupName  *db$' out "^VpcId  *$VPC\$" \
    out '^InnerAccessPolicy  *Accept$'
t "show: the rules table's header" 0 \
    out '^DIRECTION  *POLICY  *PRIORITY  *PROTOCOL  *PORTS  *PEER  *NIC  *RULE ID  *DESCRIPTION$'
t "show: a drop range row with its description" 0 \
    out '^ingress  *drop  *1  *tcp  *8080/8090  *1.2.3.4/32  *intranet  *sgr-[a-z0-9]*  *no proxy$'
t "show: a quick rule row" 0 \
    out '^ingress  *accept  *1  *tcp  *22  *10.20.0.0/16  *intranet  *sgr-[a-z0-9]*  *-$'
t "show: an icmpv6 row (ports any), IPv6 peer" 0 \
    out '^ingress  *accept  *1  *icmpv6  *any  *2001:db8::/32  *intranet'
t "show: a group peer row with its name" 0 \
    out "^ingress  *accept  *1  *tcp  *3306  *$WEB (web)  *intranet"
t "show: egress rows" 0 \
    out '^egress  *drop  *2  *all  *any  *0.0.0.0/0  *intranet' \
    out "^egress  *accept  *1  *udp  *123  *$WIN (win)"
sed -n '/^DIRECTION/,$p' "$T/out" | awk 'NR > 1 {print $1, $2, $3}' \
    >"$T/order"
same "show: sorted as evaluated (ingress, then egress; priority; drop first)" \
    "$T/order" "ingress drop 1
ingress accept 1
ingress accept 1
ingress accept 1
ingress accept 1
ingress accept 7
egress accept 1
egress accept 1
egress drop 2"
run sg show "$DB" --region $R --json
if json_ok "$T/out" && [ "$(field "$T/out" \
    'len(d[0]["Permissions"]["Permission"])')" = 9 ]; then
	ok "show --json: the raw answer with the nine rules"
else
	bad "show --json: the raw answer with the nine rules"
fi
run sg show sg-nosuchgroup --region $R
t "show an unknown group -> 1, Code on stderr, nothing on stdout" 1 \
    err '^InvalidSecurityGroupId.NotFound: .* ([0-9A-F-]*)$' !out '.'

# --- revoke ------------------------------------------------------------------------
run sg revoke "$DB" --region $R --protocol tcp --port 8080/8090 \
    --cidr 1.2.3.4/32
t "revoke without --policy drop (succeeds, matches nothing)" 0
rules "$DB"
if grep -q '8080/8090' "$T/rules"; then
	ok "the drop rule is still there (the policy is part of a rule)"
else
	bad "the drop rule is still there (the policy is part of a rule)"
fi
run sg revoke "$DB" --region $R --protocol tcp --port 8080/8090 \
    --cidr 1.2.3.4/32 --policy drop
t "revoke the drop rule" 0
run sg revoke "$DB" --region $R --protocol udp --port 53 --cidr 10.0.0.0/8 \
    --priority 7
t "revoke by protocol, port and priority" 0
run sg revoke "$DB" --region $R --protocol all --cidr 0.0.0.0/0 --egress \
    --policy drop --priority 2
t "revoke an egress rule" 0 out 'revoked egress all any to 0.0.0.0/0'
rules "$DB"
if ! grep -q -e '8080/8090' -e 'UDP 53/53' -e 'ALL' "$T/rules" &&
    [ "$(wc -l <"$T/rules")" -eq 6 ]; then
	ok "the three revoked rules are gone, six stay"
else
	bad "the three revoked rules are gone, six stay"
fi
run sg show "$DB" --region $R
IN_ID=$(sed -n 's/^ingress .* 22  *10.20.0.0\/16 .*\(sgr-[a-z0-9]*\).*/\1/p' "$T/out")
EG_ID=$(sed -n 's/^egress .* 443 .*\(sgr-[a-z0-9]*\).*/\1/p' "$T/out")
run sg revoke "$DB" --region $R --rule-id "$IN_ID" --rule-id "$EG_ID" --json
t "revoke an ingress and an egress rule by id" 0 out '"RequestId"'
if json_ok "$T/out" && [ "$(field "$T/out" 'len(d)')" = 3 ]; then
	ok "revoke --json: lookup + one call per direction, valid JSON"
else
	bad "revoke --json: lookup + one call per direction, valid JSON"
fi
rules "$DB"
if ! grep -q -e 'TCP 22/22' -e 'TCP 443/443' "$T/rules" &&
    [ "$(wc -l <"$T/rules")" -eq 4 ]; then
	ok "both rules are gone, four stay"
else
	bad "both rules are gone, four stay"
fi
run sg revoke "$DB" --region $R --rule-id sgr-nosuchrule
t "revoke an unknown rule id -> 1, Code on stderr" 1 \
    err '^InvalidParam.SecurityGroupRuleId: '
run sg show "$DB" --region $R
EG_ID=$(sed -n 's/^egress .* 123 .*\(sgr-[a-z0-9]*\).*/\1/p' "$T/out")
run sg revoke "$DB" --region $R --rule-id "$EG_ID" --egress
t "revoke by id with --egress (no lookup)" 0 out "^$DB: revoked $EG_ID\$"
rules "$DB"
if ! grep -q 'UDP 123/123' "$T/rules"; then ok "the egress rule is gone"
else bad "the egress rule is gone"; fi

# --- list, instances, delete ---------------------------------------------------------
run sg list --region $R
t "list: a table with every group" 0 \
    out '^ID  *NAME  *TYPE  *VPC  *RULES  *CREATED  *DESCRIPTION$' \
    out "^$WEB  *web  *normal  *$VPC  *4  .*front end\$" \
    out "^$WIN  *win  *normal" out "^$DB  *db  *normal  *$VPC  *3 "
run sg list --region $R --vpc vpc-nosuch
t "list --vpc filters" 0 !out "^$WEB"
run sg list --region $R --json
if json_ok "$T/out" && [ "$(field "$T/out" \
    'd[0]["SecurityGroups"]["SecurityGroup"][0]["SecurityGroupId"][:3]')" = sg- ]; then
	ok "list --json is valid JSON with the groups"
else
	bad "list --json is valid JSON with the groups"
fi

run instance run --region $R --vswitch "$VSW" --sg "$WEB" --sg "$DB" \
    --name web1
t "instance run" 0 out "^i-[a-z0-9]* created in $VSW\$"
INST=$(awk '{print $1}' "$T/out")
run instance list --region $R
t "instance list: a table with the instance" 0 \
    out "^$INST  *web1  *Running  *ecs.g7.large  *cn-hangzhou-b  *10.20.1.[0-9]*  *$VSW  *$WEB,$DB\$"
run instance list --region $R --sg "$WIN"
t "instance list --sg filters" 0 !out "^$INST"

run sg delete "$DB" --region $R
t "delete a group an instance uses -> 1, DependencyViolation" 1 \
    err '^DependencyViolation: '
run sg delete "$WIN" --region $R
t "delete" 0 out "^deleted $WIN\$"
run sg list --region $R
t "the deleted group is not listed" 0 !out "^$WIN"

# --- dry run, network errors ------------------------------------------------------
run sg create --region $R --vpc "$VPC" --name dry --template web-server-linux \
    --dry-run
t "create --dry-run prints both requests" 0 \
    out '^POST .*SecurityGroupName=dry' \
    out '^POST .*Permissions.4.IpProtocol=icmp.*SecurityGroupId=%3CSecurityGroupId%3E'
run ecs DescribeSecurityGroups --RegionId $R --SecurityGroupName dry
t "--dry-run created nothing" 0 out '"TotalCount": 0'
run sg list --region $R --endpoint http://127.0.0.1:1 --timeout 5
t "server unreachable -> 2" 2 err 'cannot call http://127.0.0.1:1'

finish
