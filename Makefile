# Makefile - builds ./pinlab, its tests, sanitizer builds, the fuzzer and the benchmarks.

CC       ?= gcc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -Iinclude -D_GNU_SOURCE
ALLCFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(CPPFLAGS)
LDLIBS   += -lpthread

LIB_DIRS := kernel lib mm fs block drivers policy litmus explore
LIB_SRCS := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c) $(wildcard $(d)/*.S)))
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
# The debug checks' own tests exist only where the checks are compiled in.
DEBUG_CFLAGS := -O2 -g -DPINLAB_DEBUG
ifeq ($(findstring -DPINLAB_DEBUG,$(CFLAGS)),)
TEST_SRCS := $(filter-out tests/test_debug.c,$(TEST_SRCS))
endif
# Header dependencies come from the compiler (-MMD): each object's .d file
# lists what it includes, and a missing header is a phony target (-MP).  An
# object without its .d (built before -MMD, or never) depends on every
# header, so that it is rebuilt once and gets one.
DEPFLAGS  = -MMD -MP
HDRS     := $(wildcard include/pinlab/*.h $(addsuffix /*.h,$(LIB_DIRS)) tools/*.h tests/*.h)
.SECONDEXPANSION:
no_deps   = $(if $(wildcard $(basename $(1)).d $(1).d),,$(HDRS))
# `pinlab kernel` (tools/kernel-*.c): only the pinlab binary links it, and -luring.
KERNEL_SRCS := $(sort $(wildcard tools/kernel-*.c))
# The pinlab command itself: main() and dispatch, the command line, a file per subcommand.
TOOLS_SRCS  := $(sort $(filter-out $(KERNEL_SRCS),$(wildcard tools/*.c)))

# B is the build directory: build (default), build-debug, build-asan, build-tsan.
B        ?= build
LIB_OBJS  = $(patsubst %,$(B)/%.o,$(basename $(LIB_SRCS)))
TESTS     = $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRCS))

SAN_ASAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_TSAN := -fsanitize=thread
FUZZ_TIME ?= 60

.PHONY: all check debug debug-build asan tsan bench run fuzz deps build-deps clean tests

all: pinlab

# The Debian packages are checked once per top-level make: the recursive
# makes below are given DEPS_DONE=1 (a command-line variable, so it reaches
# their own sub-makes too) and skip the check.
ifeq ($(DEPS_DONE),)
deps:
	@scripts/install-deps.sh

# What building ./pinlab needs (liburing-dev), installed first when missing.
build-deps:
	@scripts/install-deps.sh build
else
deps build-deps:
	@:
endif

pinlab: build-deps
	@$(MAKE) --no-print-directory DEPS_DONE=1 $(B)/pinlab
	@if [ "$(B)" = build ]; then cp $(B)/pinlab pinlab.new && mv -f pinlab.new pinlab; fi

KERNEL_OBJS = $(patsubst %.c,$(B)/%.o,$(KERNEL_SRCS))
TOOLS_OBJS  = $(patsubst %.c,$(B)/%.o,$(TOOLS_SRCS))

$(B)/pinlab: $(TOOLS_OBJS) $(KERNEL_OBJS) $(B)/libpinlab.a
	$(CC) $(ALLCFLAGS) -o $@ $^ $(LDFLAGS) -luring $(LDLIBS)

$(B)/libpinlab.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/%.o: %.c $$(call no_deps,$$@)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/%.c $(B)/libpinlab.a $$(call no_deps,$$@)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $@.d -o $@ $< $(filter %.o,$^) $(B)/libpinlab.a $(LDFLAGS) -lcmocka $(LDLIBS)

# The scenario harness (tests/harness.{c,h}): one object, linked into the
# tests that run scenarios.
HARNESS_TESTS := block btrfs mm_writeback xfs
$(patsubst %,$(B)/tests/test_%,$(HARNESS_TESTS)): $(B)/tests/harness.o

# Asks the running kernel for long-term pins (tests/kernel/compare.sh).
$(B)/tests/kernel/io_uring_longterm: tests/kernel/io_uring_longterm.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -o $@ $< $(LDFLAGS) -luring

tests: deps $(B)/pinlab $(TESTS) $(B)/tests/kernel/io_uring_longterm

# Every test: the cmocka units, the kernel comparison and pinlab check; then
# the debug build (footprint auditor, invariant checkers): its own unit
# tests and the whole litmus library.
check: deps
	@$(MAKE) --no-print-directory DEPS_DONE=1 B=build tests pinlab
	@$(MAKE) --no-print-directory DEPS_DONE=1 debug-build
	@tests/run.sh build build-debug

# The debug configuration: -DPINLAB_DEBUG compiles in the footprint auditor
# (kernel/audit.c) and the invariant checkers (mm/debug.c, explore/check.c).
debug: deps debug-build
	@tests/run.sh --debug build-debug

debug-build:
	@$(MAKE) --no-print-directory DEPS_DONE=1 B=build-debug CFLAGS="$(DEBUG_CFLAGS)" \
		build-debug/pinlab build-debug/tests/test_debug

asan: deps
	@$(MAKE) --no-print-directory DEPS_DONE=1 B=build-asan CC=clang \
		CFLAGS="-O1 -g $(SAN_ASAN)" LDFLAGS="$(SAN_ASAN)" tests
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tests/run.sh build-asan

# The threads back end under ThreadSanitizer.
tsan: deps
	@$(MAKE) --no-print-directory DEPS_DONE=1 B=build-tsan CC=clang \
		CFLAGS="-O1 -g $(SAN_TSAN)" LDFLAGS="$(SAN_TSAN)" build-tsan/tests/test_kernel_threads
	@TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/test_kernel_threads

run: pinlab
	./pinlab matrix litmus-tests/

bench: deps
	@$(MAKE) --no-print-directory DEPS_DONE=1 B=build build/bench/bench pinlab
	@build/bench/bench

build/bench/bench: bench/bench.c build/libpinlab.a $$(call no_deps,$$@)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $@.d -o $@ $< build/libpinlab.a $(LDFLAGS) $(LDLIBS)

# pinlab against SPIN on the families of bench/peers/ (installs spin when missing).
.PHONY: bench-peers
bench-peers: pinlab
	@bench/peers/run.sh ./pinlab

# libFuzzer: the litmus parser (fuzz_parser, corpus fuzz/corpus), then the
# whole pipeline (fuzz_pipeline: parse, model, bounded exploration, reports;
# seeded from litmus-tests/, corpus fuzz/corpus-pipeline); FUZZ_TIME seconds each.
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := build-fuzz/fuzz_parser build-fuzz/fuzz_pipeline

fuzz: deps
	@$(MAKE) --no-print-directory DEPS_DONE=1 B=build-fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
		$(FUZZ_TARGETS)
	@mkdir -p build-fuzz/corpus build-fuzz/corpus-pipeline
	build-fuzz/fuzz_parser -max_total_time=$(FUZZ_TIME) -max_len=4096 \
		-dict=fuzz/litmus.dict build-fuzz/corpus fuzz/corpus
	build-fuzz/fuzz_pipeline -max_total_time=$(FUZZ_TIME) -max_len=4096 -timeout=10 \
		-dict=fuzz/pipeline.dict build-fuzz/corpus-pipeline fuzz/corpus-pipeline \
		$(sort $(dir $(wildcard litmus-tests/*/*.litmus)))
	@echo "new inputs are in build-fuzz/corpus*; merge: build-fuzz/fuzz_parser -merge=1 fuzz/corpus build-fuzz/corpus"
	@echo "  and build-fuzz/fuzz_pipeline -merge=1 fuzz/corpus-pipeline build-fuzz/corpus-pipeline"

build-fuzz/fuzz_%: fuzz/fuzz_%.c build-fuzz/libpinlab.a $$(call no_deps,$$@)
	clang -std=gnu11 $(WARN) $(CPPFLAGS) -O1 -g $(FUZZ_SAN) $(DEPFLAGS) -MF $@.d -o $@ $< \
		build-fuzz/libpinlab.a -lpthread

clean:
	rm -rf build build-debug build-asan build-tsan build-fuzz pinlab

-include $(shell find build build-debug build-asan build-tsan build-fuzz -name '*.d' 2>/dev/null)
