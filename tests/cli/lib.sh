# shellcheck shell=sh disable=SC2034
# tests/cli/lib.sh — sourced by tests/cli/{cli,sg,eng}_test.sh.
#
# Black-box tests of the sekisho CLI against real sekishod processes on
# 127.0.0.1 (a free port each). Everything lives in one temporary dir $T,
# which is also $HOME so no profile of the caller's is read; the EXIT trap
# stops the servers and removes $T, also on failure. Each check prints
# "ok   - DESC" or "FAIL - DESC"; the last line, "<name>: N passed, N
# failed" (name: cli for cli_test.sh), is what scripts/cli-test.sh adds up.
set -u

BUILD=${BUILD:-build}
TNAME=$(basename "$0" _test.sh)
CLI=$BUILD/sekisho
SRV=$BUILD/sekishod
AK=AKIDEXAMPLE
SK=SECRETEXAMPLE
R=cn-hangzhou
PASS=0
FAIL=0
SKIP=0
PIDS=""
NOENV=0
# How much of the last run's stdout / stderr a failed check shows.
SHOW_OUT=12
SHOW_ERR=6

# Nothing from the caller's environment may leak in.
unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET \
    ALIBABA_CLOUD_SECURITY_TOKEN SEKISHO_ENDPOINT SEKISHO_CONFIG \
    SEKISHO_ROOT_ACCESS_KEY_ID SEKISHO_ROOT_ACCESS_KEY_SECRET STDIN

finish() {
	[ "$SKIP" -gt 0 ] && echo "($SKIP skipped)"
	echo "$TNAME: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}

# die [MSG...]: stop here, counting one more failure.
die() {
	[ $# -eq 0 ] || echo "$*"
	FAIL=$((FAIL + 1))
	finish
}

# need COMMAND WHY: the run cannot go on without COMMAND.
need() {
	command -v "$1" >/dev/null 2>&1 || die "$1 missing: $2"
}

for f in "$CLI" "$SRV"; do
	[ -x "$f" ] || die "$f missing: run make first"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/sekisho-$TNAME.XXXXXX") || exit 1
HOME=$T/home
export HOME
mkdir -p "$HOME"
: >"$T/all"

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- servers ---------------------------------------------------------------

# start NAME [ENV=VALUE...]: a server on a free port, files in $T/NAME;
# sets PORT and LASTPID.
start() {
	name=$1
	shift
	mkdir -p "$T/$name"
	env "$@" "$SRV" --listen 127.0.0.1:0 --port-file "$T/$name/port" \
	    --data-dir "$T/$name/data" --log-level warn \
	    >"$T/$name/log" 2>&1 &
	LASTPID=$!
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$T/$name/port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	PORT=$(cat "$T/$name/port" 2>/dev/null)
	if [ -z "$PORT" ]; then
		echo "sekishod ($name) did not start:"
		cat "$T/$name/log"
		die
	fi
}

# start_server: the test's server "a", whose root key pair is AK/SK;
# sets EP.
start_server() {
	start a SEKISHO_ROOT_ACCESS_KEY_ID=$AK SEKISHO_ROOT_ACCESS_KEY_SECRET=$SK
	EP=http://127.0.0.1:$PORT
}

# ---- running the CLI -----------------------------------------------------

# run_env [ENV=VALUE...] -- ARGS...: the CLI with a clean environment plus
# ENV; stdin from $STDIN (default /dev/null). Sets RC; output in $T/out,
# $T/err, and both appended to $T/all.
run_env() {
	n=0
	for a in "$@"; do
		[ "$a" = "--" ] && break
		n=$((n + 1))
	done
	i=0
	for a in "$@"; do	# rotate: ENV... -- ARGS -> ENV... $CLI ARGS
		shift
		if [ $i -eq $n ]; then
			set -- "$@" "$CLI"
		else
			set -- "$@" "$a"
		fi
		i=$((i + 1))
	done
	env HOME="$HOME" "$@" <"${STDIN:-/dev/null}" >"$T/out" 2>"$T/err"
	RC=$?
	cat "$T/out" "$T/err" >>"$T/all"
}

# run ARGS...: the CLI with the key pair AK/SK and the endpoint EP in the
# environment (NOENV=1: with no credentials and no endpoint at all).
run() {
	if [ "$NOENV" = 1 ]; then
		run_env -- "$@"
	else
		run_env ALIBABA_CLOUD_ACCESS_KEY_ID=$AK \
		    ALIBABA_CLOUD_ACCESS_KEY_SECRET=$SK SEKISHO_ENDPOINT="$EP" \
		    -- "$@"
	fi
}

# ---- checks ----------------------------------------------------------------

ok() {
	PASS=$((PASS + 1))
	echo "ok   - $1"
}

nok() {
	FAIL=$((FAIL + 1))
	echo "FAIL - $1"
}

# bad DESC: a failure, with the last run's output.
bad() {
	nok "$1"
	sed 's/^/    stdout: /' "$T/out" | head -n "$SHOW_OUT"
	sed 's/^/    stderr: /' "$T/err" | head -n "$SHOW_ERR"
}

skip() {
	SKIP=$((SKIP + 1))
	echo "skip - $1"
}

# t DESC WANT_RC [STREAM PATTERN]...: checks the last run. STREAM is out or
# err (must match the basic regex) or !out / !err (must not match).
t() {
	desc=$1
	want=$2
	shift 2
	good=1
	why="exit $RC, want $want"
	[ "$RC" = "$want" ] || good=0
	while [ $# -ge 2 ]; do
		case $1 in
		!*) if grep -q -- "$2" "$T/${1#!}"; then
			good=0
			why="$why; $1 matches '$2'"
		    fi ;;
		*) if ! grep -q -- "$2" "$T/$1"; then
			good=0
			why="$why; $1 lacks '$2'"
		   fi ;;
		esac
		shift 2
	done
	if [ $good = 1 ]; then ok "$desc"; else bad "$desc ($why)"; fi
}

# check DESC COMMAND...: a plain assertion.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else nok "$desc"; fi
}

json_ok() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" \
		    2>/dev/null
	else
		grep -q '^{' "$1"
	fi
}
