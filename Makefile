# Makefile - builds pmig (make), tests it (make check), runs its main job (make run), installs it.
PREFIX ?= /usr/local
DESTDIR ?=
CFLAGS ?= -O2 -g
B := build
# make SANITIZE=1: every program and unit test under ASan and UBSan, in a build
# directory of its own, so its objects never mix with the plain ones. A finding
# stops the program (no recovery), so a test that goes on cannot hide it.
ifeq ($(SANITIZE),1)
B := build-asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif
# make FUZZ=1 (what make fuzz calls): the rooms built for libFuzzer with clang, whose
# coverage instrumentation gcc lacks; the fuzz targets link the fuzzer's main.
ifeq ($(FUZZ),1)
B := build-fuzz
CC := clang-14
CXX := clang++-14
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
endif
# The recorded matrices SPEC.md shows: Debian kernels on x86-64, then the platforms.
SPEC_MATRIX := results/conformance-matrix.tsv
.DEFAULT_GOAL := all

PKGS := hwloc json-c libcap libxml-2.0 numa
# Recursively expanded on purpose: evaluated when a recipe runs, which is
# after the deps step below has installed the -dev packages on a fresh machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libm: the regression rule's erfc(), pow() and sqrt().
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lm
# One include path per room: harness (the test runtime), workloads, conformance
# and its model, bench and its metrics, results.
ROOMS := harness workloads conformance conformance/model bench bench/metrics results
# The clone's directory stays out of the objects: the same sources make the same
# programs in any clone, so a guest under --clock icount counts the same instructions
# as the one the committed baseline came from.
REPRO_FLAGS = -ffile-prefix-map=$(CURDIR)=.
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP \
	$(addprefix -I,$(ROOMS)) $(PKG_CFLAGS) $(REPRO_FLAGS) $(CFLAGS) $(SAN_FLAGS)
CXXFLAGS ?= -O2 -g
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -MMD -MP -Ibench $(REPRO_FLAGS) $(CXXFLAGS) \
	$(SAN_FLAGS)
# Every program and test links the rooms' archives (only the objects it uses
# come in) and, as needed, the libraries below: Google Benchmark and libpfm4 for
# the benchmark, cmocka for the tests.
EXT_LIBS = -Wl,--as-needed $(PKG_LIBS) -lbenchmark -lpfm -lpthread -lstdc++ -lm
ROOM_LIBS := $(B)/libresults.a $(B)/libbench.a $(B)/libconform.a \
	$(B)/libmodel.a $(B)/libworkloads.a $(B)/libpmig.a
LINK_ROOMS = -Wl,--start-group $(ROOM_LIBS) -Wl,--end-group

# A room's objects: its *.c, not its cmd/ or tests/.
objs = $(patsubst %.c,$(B)/%.o,$(wildcard $(addsuffix /*.c,$(1))))
$(B)/libpmig.a: $(call objs,harness)
$(B)/libworkloads.a: $(call objs,workloads)
$(B)/libconform.a: $(call objs,conformance)
$(B)/libmodel.a: $(call objs,conformance/model)
# The Google Benchmark adapter stays out: the bench tests bring a fake one.
$(B)/libbench.a: $(call objs,bench bench/metrics)
$(B)/libresults.a: $(call objs,results)
$(ROOM_LIBS):
	@rm -f $@
	$(AR) rcs $@ $^

# Commands: ROOM/cmd/pmig-NAME.c is build/bin/pmig-NAME.
CMD_SRCS := $(wildcard harness/cmd/*.c conformance/cmd/*.c bench/cmd/*.c results/cmd/*.c)
BINS := $(patsubst %.c,$(B)/bin/%,$(notdir $(CMD_SRCS)))
$(foreach c,$(CMD_SRCS),$(eval $(B)/bin/$(basename $(notdir $(c))): $(B)/$(c:.c=.o)))
# pmig-bench is the one C++ program: the adapter over Google Benchmark.
$(B)/bin/pmig-bench: $(B)/bench/gbench_adapter.o
$(BINS): $(ROOM_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $(filter %.o,$^) $(LINK_ROOMS) $(EXT_LIBS)

# Unit tests live beside their code: ROOM/tests/test_NAME.c is build/unit/test_NAME
# (not build/tests/, whose dependency files from before the rooms name sources that moved).
TEST_SRCS := $(wildcard */tests/test_*.c */*/tests/test_*.c)
TEST_BINS := $(patsubst %.c,$(B)/unit/%,$(notdir $(TEST_SRCS)))
$(foreach t,$(TEST_SRCS),$(eval $(B)/unit/$(basename $(notdir $(t))): $(t)))
$(TEST_BINS): $(ROOM_LIBS) | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c,$^) $(LINK_ROOMS) $(EXT_LIBS) -lcmocka

# Fuzz targets: ROOM/fuzz/fuzz_NAME.c is build-fuzz/fuzz/fuzz_NAME, seeded from
# ROOM/fuzz/corpus/fuzz_NAME/ (committed, never written to).
FUZZ_SRCS := $(wildcard */fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst %.c,$(B)/fuzz/%,$(notdir $(FUZZ_SRCS)))
$(foreach f,$(FUZZ_SRCS),$(eval $(B)/fuzz/$(basename $(notdir $(f))): $(f)))
$(FUZZ_BINS): $(ROOM_LIBS) | $(B)/deps-fuzz.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c,$^) $(LINK_ROOMS) $(EXT_LIBS)

.PHONY: all check run install clean format docs soak baseline check-asan \
	asan-run fuzz fuzz-run
.DELETE_ON_ERROR:
.SECONDARY: $(B)/deps-build.stamp $(B)/deps-check.stamp $(B)/deps-run.stamp \
	$(B)/deps-fuzz.stamp
all: $(BINS) $(B)/spec-covered.stamp

$(B)/deps-%.stamp: scripts/deps.sh
	@mkdir -p $(B)
	@scripts/deps.sh $*
	@touch $@

$(B)/%.o: %.c | $(B)/deps-build.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/%.o: %.cc | $(B)/deps-build.stamp
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

# The build fails when a spec row has no test (or a test names no row).
$(B)/spec-covered.stamp: $(B)/bin/pmig-conform
	$(B)/bin/pmig-conform --check-spec
	@touch $@

check: all $(TEST_BINS) | $(B)/deps-check.stamp
	@fail=0; for t in $(TEST_BINS); do $$t || fail=1; done; [ $$fail = 0 ]
	$(B)/bin/pmig-conform --spec-markdown=$(SPEC_MATRIX) | diff -u docs/SPEC.md - || \
		{ echo "docs/SPEC.md is stale: make docs"; exit 1; }
	$(B)/bin/pmig-conform --model-markdown | diff -u docs/MODEL.md - || \
		{ echo "docs/MODEL.md is stale: make docs"; exit 1; }
	prove -v scripts/tests/*.t

# The unit tests and the host conformance run (fixed cases, then random ones)
# under ASan and UBSan; the first finding fails it.
SAN_ENV := ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_leaks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
check-asan:
	$(MAKE) SANITIZE=1 asan-run
asan-run: all $(TEST_BINS) | $(B)/deps-check.stamp
	@fail=0; for t in $(TEST_BINS); do $(SAN_ENV) $$t || fail=1; done; [ $$fail = 0 ]
	$(SAN_ENV) $(B)/bin/pmig-conform
	$(SAN_ENV) $(B)/bin/pmig-conform --random 200 --seed 1

# Runs every fuzz target for FUZZ_SECONDS, one after another; a crash fails it
# and is kept as build-fuzz/fuzz/crashes/TARGET/crash-*. What a run finds new
# stays in build-fuzz/fuzz/corpus/TARGET/ for the next run.
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) FUZZ=1 fuzz-run
fuzz-run: $(FUZZ_BINS)
	@fail=0; for s in $(FUZZ_SRCS); do n=$$(basename $$s .c); \
		mkdir -p $(B)/fuzz/corpus/$$n $(B)/fuzz/crashes/$$n; \
		echo "== $$n: $(FUZZ_SECONDS) s"; \
		$(B)/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(B)/fuzz/crashes/$$n/ \
			$(B)/fuzz/corpus/$$n $$(dirname $$s)/corpus/$$n || fail=1; \
	done; [ $$fail = 0 ]

# The long model-based run: SOAK_N random scenarios per kernel on 3node-cxl.
SOAK_N ?= 10000
SOAK_SEED ?= 1
SOAK_KERNELS ?= debian:bookworm debian:experimental
soak: all | $(B)/deps-run.stamp
	@for k in $(SOAK_KERNELS); do \
		echo "== $$k: $(SOAK_N) scenarios, seed $(SOAK_SEED)"; \
		out=$$(scripts/pmig vm --kernel $$k --topology 3node-cxl --timeout 3600 \
			-- conform --random $(SOAK_N) --seed $(SOAK_SEED)); rc=$$?; \
		echo "$$out" | grep -E '^not ok|^# Totals'; [ $$rc = 0 ] || exit 1; \
	done

# Re-records the CI gate's baseline (scripts/tests/vm-icount.t): the quick
# benchmarks under QEMU icount in the default VM. Commit the two files.
baseline: all | $(B)/deps-run.stamp
	rm -rf $(B)/baseline
	scripts/pmig vm --clock icount --out $(B)/baseline -- bench --quick --out bench.json >/dev/null
	cp $(B)/baseline/bench.json results/baseline/icount-bench-quick.json
	grep -v '^seconds=' $(B)/baseline/vm.txt >results/baseline/icount-bench-quick.vm.txt

run: all | $(B)/deps-run.stamp
	scripts/pmig run

docs: $(B)/bin/pmig-conform
	$(B)/bin/pmig-conform --spec-markdown=$(SPEC_MATRIX) > docs/SPEC.md
	$(B)/bin/pmig-conform --model-markdown > docs/MODEL.md

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/pmig
	install -m 755 scripts/pmig $(DESTDIR)$(PREFIX)/bin/pmig
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/libexec/pmig/
	install -d $(DESTDIR)$(PREFIX)/libexec/pmig/vm/topologies
	install -m 755 scripts/vm/*.sh $(DESTDIR)$(PREFIX)/libexec/pmig/vm/
	install -m 644 scripts/vm/topologies/* $(DESTDIR)$(PREFIX)/libexec/pmig/vm/topologies/

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
