#!/bin/sh
# Black-box tests of the sekisho CLI against real sekishod processes on
# 127.0.0.1: signing (V3 and V1), output, error paths and exit statuses,
# credential sources and their precedence, `configure`, and that no secret
# ever reaches stdout/stderr. Last line: "cli: N passed, N failed".
#
# Usage: sh tests/cli/cli_test.sh      (BUILD=dir to test another build)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

BAD=NOT-THE-SECRET
SHOW_OUT=8
SHOW_ERR=8
start_server

# --- usage ---------------------------------------------------------------
run_env -- --help
t "--help lists products and exit statuses" 0 out 'ecs .*2014-05-26' \
    out 'vpc .*2016-04-28' out 'configure' out 'Exit status'
run_env -- ecs --help
t "ecs --help names the version" 0 out '2014-05-26'
run nosuchproduct DescribeRegions
t "unknown product -> 64" 64 err 'neither a command nor a product'
run ecs DescribeRegions --bogus-option 1
t "unknown option -> 64" 64 err 'unknown option --bogus-option'
run ecs DescribeRegions --Action Foo
t "reserved parameter -> 64" 64 err 'set by sekisho'
run ecs
t "missing action -> 64" 64 err 'which action'
run ecs DescribeRegions --sig v2
t "bad --sig -> 64" 64 err 'v3 or v1'
run ecs DescribeZones --RegionId
t "parameter without value -> 64" 64 err 'needs a value'

# --- calls -----------------------------------------------------------------
run ecs DescribeRegions
t "DescribeRegions (V3, env credentials)" 0 \
    out '^{$' out '^  "Regions": {$' out '"RegionId": "cn-hangzhou"' \
    out '"RequestId": "' !err '.'
check "DescribeRegions output is valid JSON" json_ok "$T/out"
run ecs DescribeRegions --sig v1
t "DescribeRegions (--sig v1)" 0 out '"RegionId": "cn-beijing"'
check "V1 output is valid JSON" json_ok "$T/out"
run ecs DescribeZones --RegionId cn-hangzhou
t "DescribeZones --RegionId cn-hangzhou (V3)" 0 \
    out '"ZoneId": "cn-hangzhou-' !out '"ZoneId": "cn-shanghai-'
run ecs DescribeZones --RegionId=cn-shanghai --sig v1
t "DescribeZones --RegionId=cn-shanghai (V1, --Name=value)" 0 \
    out '"ZoneId": "cn-shanghai-' !out '"ZoneId": "cn-hangzhou-'
run ECS DescribeZones --RegionId "cn-beijing" \
    --AcceptLanguage en-US
t "product name is case-insensitive; two parameters" 0 \
    out '"ZoneId": "cn-beijing-'
run ecs DescribeZones --RegionId no-such-region
t "DescribeZones with an unknown region -> exit 1, Code on stderr" 1 \
    err '^InvalidRegionId.NotFound: .* ([0-9A-F-]*)$' !out '.'
run --version-override 2014-05-26 anything DescribeRegions
t "--version-override calls an unlisted product" 0 out '"Regions"'
run vpc DescribeRegions --version-override 1999-01-01
t "--version-override with an unknown version -> InvalidParameter" 1 \
    err '^InvalidParameter: '
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK ALIBABA_CLOUD_ACCESS_KEY_SECRET=$SK -- \
    ecs DescribeRegions --endpoint "127.0.0.1:$PORT/"
t "endpoint without a scheme and with a trailing slash" 0 out '"Regions"'

# --- API errors ------------------------------------------------------------
run ecs NoSuchAction
t "unknown action -> exit 1, InvalidAction on stderr, stdout empty" 1 \
    err '^InvalidAction: Specified action is not valid. (' !out '.'
run ecs NoSuchAction --json
t "unknown action --json -> error body on stdout" 1 \
    out '"Code": "InvalidAction"' err '^InvalidAction'
check "--json error body is valid JSON" json_ok "$T/out"
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK ALIBABA_CLOUD_ACCESS_KEY_SECRET=$BAD \
    SEKISHO_ENDPOINT="$EP" -- ecs DescribeRegions
t "wrong secret (V3) -> SignatureDoesNotMatch" 1 err '^SignatureDoesNotMatch:'
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK ALIBABA_CLOUD_ACCESS_KEY_SECRET=$BAD \
    SEKISHO_ENDPOINT="$EP" -- ecs DescribeRegions --sig v1
t "wrong secret (V1) -> SignatureDoesNotMatch" 1 err '^SignatureDoesNotMatch:'
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=LTAInosuchkey \
    ALIBABA_CLOUD_ACCESS_KEY_SECRET=$SK SEKISHO_ENDPOINT="$EP" -- \
    ecs DescribeRegions
t "unknown AccessKeyId -> InvalidAccessKeyId.NotFound" 1 \
    err '^InvalidAccessKeyId.NotFound:'

# --- STS token plumbing (a permanent key ignores the token, but it must be
# signed correctly and never shown) ------------------------------------------
run ecs DescribeRegions --access-key-id $AK --access-key-secret $SK \
    --security-token TOKEN-SHOULD-NOT-SHOW --verbose
t "V3 with --security-token is signed correctly" 0 out '"Regions"' \
    err 'with a SecurityToken' !err 'TOKEN-SHOULD-NOT-SHOW'
run ecs DescribeRegions --access-key-id $AK --access-key-secret $SK \
    --security-token TOKEN-SHOULD-NOT-SHOW --sig v1 --verbose
t "V1 with --security-token is signed correctly, token redacted" 0 \
    out '"Regions"' err 'SecurityToken=REDACTED' !err 'TOKEN-SHOULD-NOT-SHOW'
run ecs DescribeRegions --access-key-id $AK --access-key-secret $BAD \
    --security-token 'TOKEN/SHOULD+NOT=SHOW' --sig v1 --json
t "V1 SignatureDoesNotMatch echoes the string to sign, token redacted" 1 \
    err '^SignatureDoesNotMatch: .*SecurityToken%3DREDACTED' \
    out '"Code": "SignatureDoesNotMatch"' \
    !out 'SHOULD' !err 'SHOULD'
run ecs DescribeRegions --security-token TOKEN-SHOULD-NOT-SHOW
t "--security-token alone -> 78" 78 err 'needs --access-key-id'
run ecs DescribeZones --RegionId cn-hangzhou --dry-run \
    --access-key-id $AK --access-key-secret $SK \
    --security-token TOKEN-SHOULD-NOT-SHOW
t "--dry-run prints the signed V3 request, token redacted" 0 \
    out "^POST $EP/?RegionId=cn-hangzhou\$" \
    out '^authorization: ACS3-HMAC-SHA256 Credential=AKIDEXAMPLE,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]\{64\}$' \
    out '^x-acs-security-token: REDACTED$' !out 'TOKEN-SHOULD-NOT-SHOW'

# --- the V3 signature, recomputed independently with openssl --------------
# v3sig FILE SECRET: HMAC-SHA256(SECRET, "ACS3-HMAC-SHA256\n" hex(SHA-256(FILE)))
v3sig() {
	h=$(openssl dgst -sha256 -r <"$1" | cut -d' ' -f1)
	printf 'ACS3-HMAC-SHA256\n%s' "$h" | openssl dgst -sha256 -hmac "$2" -r |
	    cut -d' ' -f1
}
if command -v openssl >/dev/null 2>&1; then
	E=$(printf '' | openssl dgst -sha256 -r | cut -d' ' -f1)
	# ../shared/spec/ecs-api.md §1.2 worked example: proves v3sig itself.
	printf 'POST\n/\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n\n%s\n%s' \
	    'Description=test%20sg%20%28v7%29&RegionId=cn-hangzhou&SecurityGroupName=web-sg&SecurityGroupType=normal&Tag.1.Key=env&Tag.1.Value=dev&VpcId=vpc-123' \
	    'host:127.0.0.1:39217' 'x-acs-action:CreateSecurityGroup' \
	    "x-acs-content-sha256:$E" 'x-acs-credentials-provider:static_ak' \
	    'x-acs-date:2026-11-28T20:21:10Z' \
	    'x-acs-signature-nonce:b4a68c00b3c97e4eb297e92deadfb2ce6502ce297b191129406a651e8c4ab542' \
	    'x-acs-version:2014-05-26' \
	    'host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version' \
	    "$E" >"$T/canon"
	check "openssl recomputation reproduces the spec's V3 vector" test \
	    "$(v3sig "$T/canon" $SK)" = 443fca9656f532b33dce0d9f0b37a457570c6995cdf68030694c6586e6110000
	run ecs CreateSecurityGroup --RegionId cn-hangzhou \
	    --Description 'web sg (x)' --Tag.1.Key env --dry-run
	Q='Description=web%20sg%20%28x%29&RegionId=cn-hangzhou&Tag.1.Key=env'
	t "dry-run query is the sorted RFC 3986 form" 0 out "^POST $EP/?$Q\$"
	SH=$(sed -n 's/^authorization: .*SignedHeaders=\([^,]*\),.*/\1/p' "$T/out")
	{
		printf 'POST\n/\n%s\n' "$Q"
		for n in $(echo "$SH" | tr ';' ' '); do
			printf '%s:%s\n' "$n" "$(sed -n "s/^$n: //p" "$T/out")"
		done
		printf '\n%s\n%s' "$SH" "$E"
	} >"$T/canon"
	check "the CLI's V3 signature matches an independent openssl computation" \
	    grep -q "Signature=$(v3sig "$T/canon" $SK)\$" "$T/out"
else
	skip "independent V3 signature check (no openssl)"
fi

# --- credential sources and precedence -----------------------------------
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK \
    ALIBABA_CLOUD_ACCESS_KEY_SECRET=$BAD -- ecs DescribeRegions \
    --endpoint "$EP" --access-key-id $AK --access-key-secret $SK --verbose
t "options beat the environment" 0 out '"Regions"' \
    err 'from command-line options'
STDIN=$T/secret
printf '%s\n' "$SK" >"$STDIN"
run_env -- ecs DescribeRegions --endpoint "$EP" --access-key-id $AK \
    --access-key-secret -
t "--access-key-secret - reads stdin" 0 out '"Regions"'
unset STDIN
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK SEKISHO_ENDPOINT="$EP" -- \
    ecs DescribeRegions
t "half a pair in the environment -> 78" 78 err 'only half of the key pair'
run_env -- ecs DescribeRegions --endpoint "$EP"
t "no credentials anywhere -> 78" 78 err 'no AccessKey'

P=$T/prof.json
printf '{"endpoint": "%s", "access_key_id": "%s", "access_key_secret": "%s"}\n' \
    "$EP" $AK $SK >"$P"
chmod 600 "$P"
run_env -- ecs DescribeRegions --profile-file "$P" --verbose
t "profile gives endpoint and key" 0 out '"Regions"' \
    err "endpoint $EP (from profile" err 'from profile' !err 'warning'
run_env SEKISHO_CONFIG="$P" -- ecs DescribeRegions
t "SEKISHO_CONFIG names the profile" 0 out '"Regions"'
run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK \
    ALIBABA_CLOUD_ACCESS_KEY_SECRET=$BAD -- \
    ecs DescribeRegions --profile-file "$P"
t "the environment beats the profile" 1 err '^SignatureDoesNotMatch'
run_env SEKISHO_ENDPOINT=http://127.0.0.1:1 -- ecs DescribeRegions \
    --profile-file "$P" --verbose
t "SEKISHO_ENDPOINT beats the profile's endpoint" 2 \
    err 'environment SEKISHO_ENDPOINT' err 'cannot call http://127.0.0.1:1'
chmod 644 "$P"
run_env -- ecs DescribeRegions --profile-file "$P"
t "a profile readable by others draws a warning" 0 err 'warning: .*chmod 600'
chmod 600 "$P"
run_env -- ecs DescribeRegions --profile-file "$T/nonexistent.json"
t "an explicit missing profile -> 78" 78 err 'cannot read'
run ecs DescribeRegions --profile-file "$T/nonexistent.json"
t "an explicit missing profile -> 78 even when unused" 78 err 'cannot read'
printf '{"endpoint": 5}' >"$T/badprof.json"
run_env -- ecs DescribeRegions --profile-file "$T/badprof.json"
t "a profile field of the wrong type -> 78" 78 err 'must be a string'

# --credentials-file: the file a server writes when no env keys are given.
start b
PIDB=$LASTPID
EPB=http://127.0.0.1:$PORT
CF=$T/b/data/root-credentials.json
CFSK=$(sed -n 's/.*"AccessKeySecret": *"\([^"]*\)".*/\1/p' "$CF" 2>/dev/null)
check "second server wrote root-credentials.json with a secret" \
    test -n "$CFSK"
run_env -- ecs DescribeRegions --endpoint "$EPB" --credentials-file "$CF" \
    --verbose
t "--credentials-file (server-generated) works" 0 out '"Regions"' \
    err 'from credentials file'
printf '{"access_key_id": "%s", "access_key_secret": "%s"}\n' $AK $SK \
    >"$T/profa.json"
chmod 600 "$T/profa.json"
run_env -- ecs DescribeRegions --endpoint "$EPB" --credentials-file "$CF" \
    --profile-file "$T/profa.json"
t "the profile beats --credentials-file" 1 err '^InvalidAccessKeyId.NotFound'
run_env -- ecs DescribeRegions --endpoint "$EPB" \
    --credentials-file "$T/nope.json"
t "missing --credentials-file -> 78" 78 err 'cannot read'

# --- configure ---------------------------------------------------------------
run_env -- configure --endpoint "$EP" --access-key-id $AK \
    --access-key-secret $SK
CFG=$HOME/.sekisho/config.json
t "configure writes the default profile" 0 err 'wrote .*config.json'
check "profile is mode 0600" test "$(stat -c %a "$CFG" 2>/dev/null)" = 600
check "profile directory is mode 0700" \
    test "$(stat -c %a "$HOME/.sekisho" 2>/dev/null)" = 700
check "profile is JSON with the endpoint" grep -q "\"endpoint\": \"$EP\"" "$CFG"
run_env -- ecs DescribeZones --RegionId cn-hangzhou
t "a call uses the configured default profile" 0 out '"ZoneId"'
run_env -- configure
t "configure without options shows the profile, not the secret" 0 \
    out "endpoint: $EP" out "access_key_id: $AK" \
    out 'access_key_secret: (set, not shown)'
run_env -- configure --endpoint "http://127.0.0.1:1"
t "configure updates one field" 0
check "configure kept the key pair" grep -q "\"access_key_id\": \"$AK\"" "$CFG"
run_env -- ecs DescribeRegions
t "the updated endpoint is used" 2 err 'cannot call http://127.0.0.1:1'
run_env -- configure --access-key-id $AK
t "configure refuses half a key pair" 64 err 'only half'
run_env -- configure --endpoint "ftp://x"
t "configure rejects a bad endpoint" 64 err 'only http'
umask 022
run_env -- configure --profile-file "$T/new/p.json" --endpoint "$EP" \
    --access-key-id $AK --access-key-secret $SK
umask 077
t "configure --profile-file creates directory and file" 0
check "explicit profile is mode 0600 despite umask 022" \
    test "$(stat -c %a "$T/new/p.json" 2>/dev/null)" = 600

# --- VPC round trip, once the VPC actions exist --------------------------
run vpc DescribeVpcs --RegionId cn-hangzhou
if grep -q '^InvalidAction' "$T/err"; then
	skip "VPC round trip (CreateVpc/DescribeVpcs/DeleteVpc not implemented yet)"
else
	run vpc CreateVpc --RegionId cn-hangzhou \
	    --CidrBlock 10.9.0.0/16 --VpcName cli-test
	t "CreateVpc" 0 out '"VpcId": "vpc-'
	VPC=$(sed -n 's/.*"VpcId": "\(vpc-[a-z0-9]*\)".*/\1/p' "$T/out" | head -1)
	run vpc DescribeVpcs --RegionId cn-hangzhou --VpcId "$VPC"
	t "DescribeVpcs finds it" 0 out "\"VpcId\": \"$VPC\"" out '"VpcName": "cli-test"'
	run vpc DeleteVpc --RegionId cn-hangzhou --VpcId "$VPC" --sig v1
	t "DeleteVpc (V1)" 0 out '"RequestId"'
	run vpc DescribeVpcs --RegionId cn-hangzhou --VpcId "$VPC"
	t "DescribeVpcs no longer lists it" 0 !out "\"VpcId\": \"$VPC\""
fi

# --- network errors ----------------------------------------------------------
kill "$PIDB" 2>/dev/null && wait "$PIDB" 2>/dev/null
PIDS=$(echo "$PIDS" | sed "s/ $PIDB\$//")
run_env -- ecs DescribeRegions --endpoint "$EPB" --access-key-id $AK \
    --access-key-secret $SK --timeout 5
t "server down -> exit 2 with a clear message" 2 \
    err "cannot call $EPB: .*[Cc]onnect"

# --- secrets -----------------------------------------------------------------
check "no secret in any output of this run" \
    test -z "$(grep -F -e "$SK" -e "$BAD" -e "${CFSK:-$SK}" "$T/all")"

finish
