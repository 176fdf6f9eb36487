#!/bin/sh
# bench: the foundation benchmark (docs/benchmarks.md). Builds the load
# generator and the static-reply baseline server, starts sekishod on
# loopback with a fresh data directory, and measures in one run:
#   reads   V3-signed DescribeRegions against sekishod and against the
#           static-reply libmicrohttpd server (same generator, same bytes,
#           same thread settings); the ratio is the figure (aim >= 30%);
#   writes  CreateVSwitch/DeleteVSwitch pairs, each reply one committed
#           transaction, with --sync full (aim >= 1,000/s) and --sync normal;
#   then    security-group actions at quota (bench/sg_bench.sh: its own
#           servers, each figure against a static run just before it).
# Requires `make` first (links build/libsekisho.a). Only 127.0.0.1 traffic.
# Knobs: BENCH_SECONDS (per measured run, default 4), READ_CONNS (16),
# WRITE_CONNS (8), BENCH_DIR (data dirs; default under build/, i.e. on the
# disk the project lives on, so fsync is real), BENCH_STRICT=1 (exit 1 when
# an aim is missed).
set -eu
cd "$(dirname "$0")/.." || exit 1

BUILD=${BUILD:-build}
SECS=${BENCH_SECONDS:-4}
READ_CONNS=${READ_CONNS:-16}
WRITE_CONNS=${WRITE_CONNS:-8}
PKGS="libmicrohttpd jansson sqlite3 libcrypto libcurl"
CC=${CC:-cc}
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow \
-Wno-unused-parameter -Wformat=2 -Wstrict-prototypes -Isrc -Ibench -pthread \
$(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -pthread -lm"

if [ ! -f "$BUILD/libsekisho.a" ] || [ ! -x "$BUILD/sekishod" ]; then
	echo "bench: $BUILD/libsekisho.a or $BUILD/sekishod missing: run make" >&2
	exit 1
fi
mkdir -p "$BUILD/bench"
# shellcheck disable=SC2086
$CC $CFLAGS -o "$BUILD/bench/loadgen" bench/loadgen.c bench/lg_req.c \
    "$BUILD/libsekisho.a" $LIBS
# shellcheck disable=SC2086
$CC $CFLAGS -o "$BUILD/bench/static_server" bench/static_server.c $LIBS

BENCH_DIR=${BENCH_DIR:-$PWD/$BUILD/bench}
mkdir -p "$BENCH_DIR"
TMP=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
API_PID=""
STATIC_PID=""
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
	for p in $API_PID $STATIC_PID; do kill "$p" 2>/dev/null || true; done
	for p in $API_PID $STATIC_PID; do wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export SEKISHO_ROOT_ACCESS_KEY_ID=AKIDBENCH
export SEKISHO_ROOT_ACCESS_KEY_SECRET=bench-secret-not-for-production

wait_port() {	# $1 = port file, $2 = pid
	i=0
	while [ ! -s "$1" ]; do
		kill -0 "$2" 2>/dev/null || { echo "bench: server died" >&2; exit 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: no port file $1" >&2; exit 1; }
		sleep 0.05
	done
	cat "$1"
}

start_api() {	# $1 = full|normal
	if [ -n "$API_PID" ]; then
		kill "$API_PID"
		wait "$API_PID" || true
	fi
	rm -f "$TMP/api.port"
	"$BUILD/sekishod" --listen 127.0.0.1:0 --port-file "$TMP/api.port" \
	    --data-dir "$TMP/data-$1" --sync "$1" --threads 2 \
	    --log-level warn 2>>"$TMP/sekishod.log" &
	API_PID=$!
	API_PORT=$(wait_port "$TMP/api.port" "$API_PID")
}

lg() {	# loadgen, its result line kept in $TMP/last
	"$BUILD/bench/loadgen" "$@" > "$TMP/last" 2> "$TMP/lg.err" || {
		cat "$TMP/last" "$TMP/lg.err" >&2
		echo "bench: loadgen failed ($*)" >&2
		exit 1
	}
	cat "$TMP/last"
}
rate() { sed -n 's/.*= *\([0-9][0-9]*\) req\/s.*/\1/p' "$TMP/last"; }
nreq() { sed -n 's/^.* \([0-9][0-9]*\) req in .*/\1/p' "$TMP/last"; }
# CPU time (user + system, clock ticks) a server has used so far.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Microseconds of server CPU per request: $1 = ticks used, $2 = requests.
cpu_us() {
	awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" \
	    'BEGIN { printf("%.0f", (n > 0) ? t * 1e6 / hz / n : 0) }'
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%.0f", (b > 0) ? 100 * a / b : 0) }'; }

fs=$(stat -f -c %T "$TMP" 2>/dev/null || echo "?")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "bench: $(nproc) CPUs (${cpu:-unknown}), Linux $(uname -r), data dir on $fs"
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) before the run (other work skews the figures)"
echo "bench: sekishod and the static server: 2 MHD threads each (epoll);"
echo "bench: generator: 1 thread, keep-alive, ${READ_CONNS} conns (reads), ${WRITE_CONNS} conns (writes), ${SECS} s per run"

# The disk's ceiling for durable commits: synchronous 4 KiB writes per second.
t0=$(date +%s%N)
dd if=/dev/zero of="$TMP/dsync" bs=4k count=200 oflag=dsync 2>/dev/null
t1=$(date +%s%N)
rm -f "$TMP/dsync"
echo "bench: disk: $(awk -v ns=$((t1 - t0)) 'BEGIN { printf("%.0f", 200 / (ns / 1e9)) }')" \
    "synchronous 4 KiB writes/s (dd oflag=dsync, the fsync ceiling for sync=full)"

"$BUILD/bench/static_server" --port-file "$TMP/static.port" --threads 2 &
STATIC_PID=$!
STATIC_PORT=$(wait_port "$TMP/static.port" "$STATIC_PID")
start_api full

# Reads: warm up both, then two alternating rounds.
lg --port "$STATIC_PORT" --mode read --count 2000 --cycle --seconds 1 \
    --conns "$READ_CONNS" --label warmup >/dev/null
lg --port "$API_PORT" --mode read --count 5000 --seconds 1 \
    --conns "$READ_CONNS" --label warmup >/dev/null
echo "bench: pre-signing: $(sed -n 's/^loadgen: pre-signed [0-9]* [A-Za-z]* requests in [0-9.]* s (\(.*\))/\1/p' "$TMP/lg.err")"
ratios=""
api_t=0; api_n=0; static_t=0; static_n=0
for round in 1 2 3; do
	t0=$(ticks "$STATIC_PID")
	lg --port "$STATIC_PORT" --mode read --count 20000 --cycle \
	    --seconds "$SECS" --conns "$READ_CONNS" \
	    --label "reads static #$round"
	static_t=$((static_t + $(ticks "$STATIC_PID") - t0))
	static_n=$((static_n + $(nreq)))
	static_rate=$(rate)
	t0=$(ticks "$API_PID")
	lg --port "$API_PORT" --mode read --count $((SECS * 40000)) \
	    --seconds "$SECS" --conns "$READ_CONNS" \
	    --label "reads sekishod #$round"
	api_t=$((api_t + $(ticks "$API_PID") - t0))
	api_n=$((api_n + $(nreq)))
	ratios="$ratios $(pct "$(rate)" "$static_rate")"
done
api_cpu=$(cpu_us "$api_t" "$api_n")
static_cpu=$(cpu_us "$static_t" "$static_n")
# The median of the per-round ratios: each round pairs two adjacent runs,
# so a burst of background load skews one round, not the figure.
read_ratio=$(echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n | sed -n 2p)

# Writes: --sync full (the default), then --sync normal on a fresh store.
lg --port "$API_PORT" --mode write --count 40000 --seconds $((SECS + 1)) \
    --conns "$WRITE_CONNS" --label "writes sekishod sync=full"
full=$(rate)
start_api normal
lg --port "$API_PORT" --mode write --count 40000 --seconds $((SECS + 1)) \
    --conns "$WRITE_CONNS" --label "writes sekishod sync=normal"
normal=$(rate)

echo "bench: reads: sekishod at ${read_ratio}% of the static-reply rate" \
    "(median of rounds:${ratios} %; aim >= 30%)"
echo "bench: reads: server CPU per request: sekishod ${api_cpu} us, static" \
    "${static_cpu} us (cost ratio $(pct "$static_cpu" "$api_cpu")%, steadier on a busy machine)"
echo "bench: writes: ${full}/s durable (sync=full; aim >= 1000), ${normal}/s (sync=normal)"
# The decision engine: compiled lookups vs the linear reference (issue 4).
# shellcheck disable=SC2086
$CC $CFLAGS -o "$BUILD/bench/eng_bench" bench/eng_bench.c \
    "$BUILD/libsekisho.a" $LIBS
"$BUILD/bench/eng_bench"
# DescribeReachability at 1,000 and 10,000 ENIs with 100 groups (issue 4).
# shellcheck disable=SC2086
$CC $CFLAGS -o "$BUILD/bench/reach_bench" bench/reach_bench.c \
    "$BUILD/libsekisho.a" $LIBS
"$BUILD/bench/reach_bench"
# Authorization: a RAM user with 500 statements vs the root (issue 6).
# shellcheck disable=SC2086
$CC $CFLAGS -o "$BUILD/bench/authz_bench" bench/authz_bench.c \
    "$BUILD/libsekisho.a" $LIBS
"$BUILD/bench/authz_bench"
# The data plane: API-to-kernel latency and memory at 10/100/1,000 ENIs
# (issue 5; root only, inside its own namespaces).
[ "$(id -u)" = 0 ] && sh bench/dp_bench.sh

# Security groups at quota (issue 3): Describe/Authorize/Join, ~50 s.
BUILD="$BUILD" BENCH_SECONDS="$SECS" READ_CONNS="$READ_CONNS" \
    WRITE_CONNS="$WRITE_CONNS" BENCH_DIR="$BENCH_DIR" sh bench/sg_bench.sh

missed=""
[ "$read_ratio" -ge 30 ] || missed="$missed reads"
[ "$full" -ge 1000 ] || missed="$missed writes"
if [ -n "$missed" ]; then
	echo "bench: aim missed:$missed"
	if [ "${BENCH_STRICT:-0}" = 1 ]; then
		exit 1
	fi
else
	echo "bench: aims met"
fi
exit 0
