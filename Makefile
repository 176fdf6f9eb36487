# sekisho build. GNU make + pkg-config; every dependency is a Debian package
# (scripts/deps.sh installs the missing ones). Targets:
#   make          build build/sekishod, build/sekisho
#   make run      install deps, build, start the server on 127.0.0.1:8080
#   make test     install deps (+ npm ci), build, run every test suite
#   make e2e      end-to-end enforcement tests (root: network namespaces)
#   make asan     unit tests under ASan + UBSan
#   make fuzz     build the libFuzzer targets (clang) and run each briefly
#   make bench    benchmarks (ratios within one run), see docs/benchmarks.md
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libcrypto libcurl libnftables libnftnl libmnl
BUILD   ?= build
WERROR  ?= $(if $(CI),-Werror,)
OPT     ?= -O2 -g
# CFLAGS/LDFLAGS from the command line are added, never replace ours.
ALL_CFLAGS = $(OPT) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter \
           -Wformat=2 -Wstrict-prototypes $(WERROR) -Isrc -pthread \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread -lm
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

# Core library: everything but the main() files.
LIB_SRC := $(sort $(wildcard src/lib/*.c src/store/*.c src/api/*.c src/api/act/*.c src/sg/*.c src/iam/*.c src/cli/*.c src/fw/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
# The agent's modules link only into build/sekisho-agent.
AGENT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard src/agent/*.c)))
UNIT_SRC := $(sort $(wildcard tests/unit/*_test.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test unit sdk asan fuzz bench deps clean docs check-docs e2e
all: $(BUILD)/sekishod $(BUILD)/sekisho $(BUILD)/sekisho-agent

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libsekisho.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/sekishod: $(BUILD)/src/cmd/sekishod.o $(BUILD)/libsekisho.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/sekisho: $(BUILD)/src/cmd/sekisho.o $(BUILD)/libsekisho.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/sekisho-agent: $(BUILD)/src/cmd/sekisho-agent.o $(AGENT_OBJ) $(BUILD)/libsekisho.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# The e2e differential prober (tests/e2e/diffprobe.c), run by make e2e.
$(BUILD)/e2e-diffprobe: $(BUILD)/tests/e2e/diffprobe.o $(BUILD)/libsekisho.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# The element-path check (tests/e2e/nftel_check.c, nftel_data.c): libnftnl batches
# against libnftables scripts in throwaway namespaces, run by make e2e.
$(BUILD)/e2e-nftel: $(BUILD)/tests/e2e/nftel_check.o $(BUILD)/tests/e2e/nftel_data.o $(AGENT_OBJ) $(BUILD)/libsekisho.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests of the agent's pure parts link its objects too.
$(BUILD)/tests/nftel_test: $(BUILD)/tests/unit/nftel_test.o $(AGENT_OBJ) $(BUILD)/libsekisho.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

$(BUILD)/errdoc: $(BUILD)/src/cmd/errdoc.o $(BUILD)/libsekisho.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libsekisho.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

# docs/errors.md is generated from the error catalogue (src/lib/err_list.h).
docs: $(BUILD)/errdoc
	$(BUILD)/errdoc > docs/errors.md

check-docs: $(BUILD)/errdoc
	@$(BUILD)/errdoc | cmp -s - docs/errors.md || \
	  { echo "docs/errors.md is stale: run 'make docs'"; exit 1; }

run: deps all
	@sh scripts/run.sh

unit: all $(UNIT_BIN)
	@sh scripts/unit.sh $(UNIT_BIN)

sdk: all
	@sh scripts/sdk.sh

e2e: all $(BUILD)/e2e-diffprobe $(BUILD)/e2e-nftel
	@sh scripts/e2e.sh

test: deps
	@sh scripts/test.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  unit

fuzz: deps
	@sh scripts/fuzz.sh

bench: deps all
	@sh scripts/bench.sh

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
