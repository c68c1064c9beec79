# Makefile - builds pmig (make), tests it (make check), runs its main job (make run), installs it.
PREFIX ?= /usr/local
DESTDIR ?=
CFLAGS ?= -O2 -g
B := build
SPEC_MATRIX := results/conformance-matrix.tsv

PKGS := hwloc json-c libcap libxml-2.0 numa
# Recursively expanded on purpose: evaluated when a recipe runs, which is
# after the deps step below has installed the -dev packages on a fresh machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libm: the regression rule's erfc(), pow() and sqrt().
PKG_LIBS = $(shell pkg-config --libs $(PKGS)) -lm
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP \
	-Iharness -Iworkloads -Iconformance -Ibench $(PKG_CFLAGS) $(CFLAGS)
CXXFLAGS ?= -O2 -g
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -MMD -MP -Ibench $(CXXFLAGS)
# The benchmark program: C against the shim, one C++ adapter over Google Benchmark.
BENCH_LIBS = -lbenchmark -lpfm -lpthread -lstdc++ -lm

HARNESS_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard harness/*.c))
WORKLOAD_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard workloads/*.c))
CONFORM_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard conformance/*.c))
BENCH_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard bench/*.c bench/metrics/*.c))
BENCH_CXX_OBJ := $(B)/bench/gbench_adapter.o
TEST_BINS := $(patsubst harness/tests/%.c,$(B)/tests/%,$(wildcard harness/tests/test_*.c))
BINS := $(B)/bin/pmig-topo $(B)/bin/pmig-conform $(B)/bin/pmig-refmig \
	$(B)/bin/pmig-compare $(B)/bin/pmig-report \
	$(B)/bin/pmig-bench $(B)/bin/pmig-bench-loop

.PHONY: all check run install clean format docs soak
.DELETE_ON_ERROR:
.SECONDARY: $(B)/deps-build.stamp $(B)/deps-check.stamp $(B)/deps-run.stamp
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

$(B)/libpmig.a: $(HARNESS_OBJ)
	$(AR) rcs $@ $^

$(B)/bin/pmig-topo: $(B)/harness/cmd/pmig-topo.o $(B)/libpmig.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS)

$(B)/bin/pmig-compare: $(B)/harness/cmd/pmig-compare.o $(B)/libpmig.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS)

$(B)/bin/pmig-report: $(B)/harness/cmd/pmig-report.o $(B)/libpmig.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS)

$(B)/bin/pmig-conform: $(CONFORM_OBJ) $(WORKLOAD_OBJ) $(B)/libpmig.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS)

$(B)/bin/pmig-refmig: $(B)/workloads/cmd/pmig-refmig.o $(WORKLOAD_OBJ) $(B)/libpmig.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS)

$(B)/bin/pmig-bench: $(B)/bench/cmd/pmig-bench.o $(BENCH_OBJ) $(BENCH_CXX_OBJ) $(WORKLOAD_OBJ) $(B)/libpmig.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o %.a,$^) $(PKG_LIBS) $(BENCH_LIBS)

# The overhead check's minimal loop: no shim, no Google Benchmark.
$(B)/bin/pmig-bench-loop: $(B)/bench/cmd/pmig-bench-loop.o
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ -lnuma

# The build fails when a spec row has no test (or a test names no row).
$(B)/spec-covered.stamp: $(B)/bin/pmig-conform
	$(B)/bin/pmig-conform --check-spec
	@touch $@

$(B)/tests/%: harness/tests/%.c $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS) -lcmocka

# The reference migrator's test needs the workloads too.
$(B)/tests/test_refmig: harness/tests/test_refmig.c $(WORKLOAD_OBJ) $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka

# The models' tests check them against the spec table itself.
$(B)/tests/test_model $(B)/tests/test_model_kinds $(B)/tests/test_model_ops: $(B)/tests/%: harness/tests/%.c harness/tests/model_world.h harness/tests/row_expect.h $(B)/conformance/spec.o $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka

# The random scenario generator's test links its pure half.
$(B)/tests/test_random: harness/tests/test_random.c $(B)/conformance/random.o $(B)/conformance/random_ops.o $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka

# The shrinker and reproducer test links them with the generator.
$(B)/tests/test_reproducer: harness/tests/test_reproducer.c $(B)/conformance/random.o $(B)/conformance/random_ops.o $(B)/conformance/shrink.o $(B)/conformance/reproducer.o $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka

# bench metrics tests
# They link the bench/metrics objects, which libpmig.a does not hold, and libpfm4 and pthreads.
BMETRICS_OBJ := $(patsubst %.c,$(B)/%.o,$(wildcard bench/metrics/*.c))
BMETRICS_TESTS := $(patsubst harness/tests/%.c,$(B)/tests/%,$(wildcard harness/tests/test_bench_*.c))
$(BMETRICS_TESTS): $(B)/tests/%: harness/tests/%.c $(BMETRICS_OBJ) $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench/metrics -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka -lpfm -lpthread

# bench core tests: the benchmark's C objects with a fake Google Benchmark (the test defines pmig_gb_*).
BENCH_CORE_TESTS := $(B)/tests/test_shim $(B)/tests/test_matrix
$(BENCH_CORE_TESTS): $(B)/tests/%: harness/tests/%.c $(BENCH_OBJ) $(WORKLOAD_OBJ) $(B)/libpmig.a | $(B)/deps-check.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka -lpfm -lpthread -lm

check: all $(TEST_BINS) | $(B)/deps-check.stamp
	@fail=0; for t in $(TEST_BINS); do $$t || fail=1; done; [ $$fail = 0 ]
	$(B)/bin/pmig-conform --spec-markdown=$(SPEC_MATRIX) | diff -u docs/SPEC.md - || \
		{ echo "docs/SPEC.md is stale: make docs"; exit 1; }
	prove -v scripts/tests/*.t

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

run: all | $(B)/deps-run.stamp
	scripts/pmig run

docs: $(B)/bin/pmig-conform
	$(B)/bin/pmig-conform --spec-markdown=$(SPEC_MATRIX) > docs/SPEC.md

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
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
