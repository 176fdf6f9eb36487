#!/bin/sh
# fuzz: builds every libFuzzer target (fuzz/<name>.c) with clang, ASan and
# UBSan, then runs each for FUZZ_SECONDS (default 10) over its committed
# seeds (fuzz/corpus/<name>/). New inputs go to build-fuzz/corpus/<name>/,
# crashes to build-fuzz/artifacts/. A target passes if it ran its time
# without a crash, leak, UB report or timeout.
#
#   FUZZ_SECONDS=60 sh scripts/fuzz.sh            # longer runs
#   FUZZ_TARGETS="prm_fuzz tm_fuzz" sh scripts/fuzz.sh
#   build-fuzz/api_fuzz build-fuzz/artifacts/api_fuzz-crash-...   # replay
#
# The project sources are compiled here (instrumented), not taken from the
# Makefile's library. Last line: "fuzz: N passed, N failed"; exit 1 on any
# failure. Needs clang and libclang-rt-14-dev (the libFuzzer runtime).
set -u
cd "$(dirname "$0")/.." || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-10}
OUT=${FUZZ_BUILD:-build-fuzz}
CC=${FUZZ_CC:-clang}
PKGS="jansson sqlite3 libcrypto libmicrohttpd libcurl libnftnl libmnl"
SAN="address,undefined"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
-fno-sanitize-recover=all -Wall -Wextra -Werror -Wno-unused-parameter \
-Isrc -pthread $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -pthread -lm"

die() { echo "fuzz: $*" >&2; echo "fuzz: 0 passed, 1 failed"; exit 1; }

command -v "$CC" >/dev/null 2>&1 || die "$CC not found (apt-get install clang)"
mkdir -p "$OUT/obj" "$OUT/corpus" "$OUT/artifacts" "$OUT/tmp" || die "mkdir $OUT"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\n%s\n' \
    'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n > 1 ? 0 : 0; }' \
    > "$OUT/probe.c"
"$CC" -fsanitize=fuzzer "$OUT/probe.c" -o "$OUT/probe" 2>/dev/null ||
	die "$CC cannot link -fsanitize=fuzzer (apt-get install libclang-rt-14-dev)"

# 1. The library, instrumented for coverage (fuzzer-no-link) and sanitizers.
# An object is rebuilt when its source or any header under src/ is newer.
newest_h=$(find src -name '*.h' -newer "$OUT/stamp" 2>/dev/null | head -n 1)
[ -f "$OUT/stamp" ] || newest_h=force
objs=""
# Every source but the main() files of src/cmd/, as the Makefile's library.
for src in $(find src -name '*.c' ! -path 'src/cmd/*' | sort); do
	obj="$OUT/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	objs="$objs $obj"
	if [ -n "$newest_h" ] || [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
		echo "$src $obj"
	fi
done > "$OUT/todo"
if [ -s "$OUT/todo" ]; then
	echo "fuzz: compiling $(wc -l < "$OUT/todo") source files"
	# shellcheck disable=SC2086
	xargs -P "$(nproc)" -n 2 sh -c "$CC $CFLAGS -fsanitize=fuzzer-no-link,$SAN \
-c \"\$0\" -o \"\$1\" || exit 255" < "$OUT/todo" || die "library build failed"
fi
touch "$OUT/stamp"
rm -f "$OUT/libsekisho-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$OUT/libsekisho-fuzz.a" $objs || die "ar failed"

# 2. The targets.
targets=${FUZZ_TARGETS:-$(for f in fuzz/*_fuzz.c; do basename "$f" .c; done)}
for t in $targets; do
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer,$SAN "fuzz/$t.c" "$OUT/libsekisho-fuzz.a" \
	    $LIBS -o "$OUT/$t" || die "cannot build $t"
done

# 3. Run each target for its time budget.
pass=0
fail=0
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export TMPDIR="$PWD/$OUT/tmp"
for t in $targets; do
	mkdir -p "$OUT/corpus/$t"
	seeds="fuzz/corpus/$t"
	[ -d "$seeds" ] || seeds=""
	# shellcheck disable=SC2086
	"$OUT/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$OUT/artifacts/$t-" \
	    "$OUT/corpus/$t" $seeds > "$OUT/$t.log" 2>&1
	rc=$?
	stats=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) .*/\1 runs in \2 s/p' \
	    "$OUT/$t.log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$OUT/$t.log" | tail -n 1 |
	    sed -n 's/.*\(cov: [0-9]*\).*\(corp: [0-9/a-zA-Z]*\).*/, \1, \2/p')
	stats="$stats$cov"
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "fuzz: $t passed (${stats:-no stats})"
	else
		fail=$((fail + 1))
		echo "fuzz: $t FAILED (exit $rc), log $OUT/$t.log:"
		grep -E 'ERROR|SUMMARY|runtime error|api_fuzz:|^    #[0-9]' \
		    "$OUT/$t.log" | head -n 40 | sed 's/^/  /'
		grep -E 'Test unit written to' "$OUT/$t.log" | sed 's/^/  /'
	fi
done
rm -rf "$OUT/tmp"
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
