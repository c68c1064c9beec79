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
# make ARCH=arm64 | ARCH=ppc64el (or the kernel's names, aarch64 and ppc64le): the guest
# programs for that architecture (GUEST_BINS), cross-built in build-ARCH/ with Debian's
# cross compilers against that architecture's libraries, which scripts/cross/sysroot.sh
# fetches into build-ARCH/sysroot/ on first use (scripts/cross/guest-build.sh is how
# pmig vm gets them). Only an ARCH given on make's command line counts: kernel
# developers export ARCH for kernel builds, and that must not turn a plain make into
# a cross build. make clean removes build-ARCH/ too, fetched libraries and all.
ifeq ($(origin ARCH),command line)
CROSS := $(shell scripts/cross/arch.sh '$(ARCH)' 2>/dev/null)
ifeq ($(CROSS),)
$(error $(shell scripts/cross/arch.sh '$(ARCH)' 2>&1))
endif
ifneq ($(SANITIZE)$(FUZZ),)
$(error make ARCH=$(ARCH) is a plain build; SANITIZE and FUZZ are this machine's)
endif
# What run.sh puts in a guest: pmig-topo, the subcommand's program, and the overhead
# check's loop (bench/overhead.sh), the timing program (pmig-timer) and the coverage
# marker for scripts (pmig-covmark).
GUEST_BINS := pmig-topo pmig-conform pmig-bench pmig-timer pmig-refmig pmig-bench-loop pmig-covmark
ifneq ($(filter-out all clean $(addprefix build-%/bin/,$(GUEST_BINS)),$(MAKECMDGOALS)),)
$(error make ARCH=$(ARCH) builds the guest programs only (make ARCH=$(ARCH) [all|clean]))
endif
DEB_ARCH := $(word 1,$(CROSS))
TRIPLET := $(word 2,$(CROSS))
B := build-$(DEB_ARCH)
SYSROOT := $(CURDIR)/$(B)/sysroot
CC := $(TRIPLET)-gcc
CXX := $(TRIPLET)-g++
AR := $(TRIPLET)-ar
endif
# The recorded matrices SPEC.md shows: Debian kernels on x86-64, then the platforms.
SPEC_MATRIX := results/conformance-matrix.tsv,results/platform-matrix.tsv
.DEFAULT_GOAL := all

PKGS := hwloc json-c libcap libxml-2.0 numa
PKG_CONFIG := pkg-config
# Recursively expanded on purpose: evaluated when a recipe runs, which is
# after the deps step below has installed the -dev packages on a fresh machine.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
# libm: the regression rule's erfc(), pow() and sqrt().
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
# One include path per room: harness (the test runtime), workloads, conformance
# and its model, bench and its metrics, results.
ROOMS := harness workloads conformance conformance/model bench bench/metrics bench/tiering results
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
# What the objects wait for: the -dev packages here, the sysroot in a cross build.
BUILD_DEPS := $(B)/deps-build.stamp

ifdef CROSS
# The sysroot's .pc files, their paths put under it; its include directory is left
# out of their flags (the system path there) and comes after the cross compiler's
# own, as a system directory, like /usr/include in a plain build. -rpath-link: the
# libraries those libraries need (libxml2's libicuuc) are found at link time there too.
PKG_CONFIG := PKG_CONFIG_SYSROOT_DIR=$(SYSROOT) \
	PKG_CONFIG_LIBDIR=$(SYSROOT)/usr/lib/$(TRIPLET)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig \
	PKG_CONFIG_SYSTEM_INCLUDE_PATH=$(SYSROOT)/usr/include pkg-config
SYSROOT_INC := -idirafter $(SYSROOT)/usr/include -idirafter $(SYSROOT)/usr/include/$(TRIPLET)
ALL_CFLAGS += $(SYSROOT_INC)
ALL_CXXFLAGS += $(SYSROOT_INC)
SYSROOT_LIBS := $(SYSROOT)/usr/lib/$(TRIPLET) $(SYSROOT)/lib/$(TRIPLET)
comma := ,
EXT_LIBS += $(addprefix -L,$(SYSROOT_LIBS)) $(addprefix -Wl$(comma)-rpath-link$(comma),$(SYSROOT_LIBS))
# The stamp is inside the sysroot: a sysroot removed by hand is fetched again.
BUILD_DEPS := $(SYSROOT)/.stamp
.SECONDARY: $(B)/deps-cross-$(DEB_ARCH).stamp
$(SYSROOT)/.stamp: scripts/cross/sysroot.sh scripts/cross/arch.sh | $(B)/deps-cross-$(DEB_ARCH).stamp
	scripts/cross/sysroot.sh $(DEB_ARCH) $(B)
	@touch $@
endif

# A room's objects: its *.c, not its cmd/ or tests/.
objs = $(patsubst %.c,$(B)/%.o,$(wildcard $(addsuffix /*.c,$(1))))
$(B)/libpmig.a: $(call objs,harness)
$(B)/libworkloads.a: $(call objs,workloads)
$(B)/libconform.a: $(call objs,conformance)
$(B)/libmodel.a: $(call objs,conformance/model)
# The Google Benchmark adapter stays out: the bench tests bring a fake one.
$(B)/libbench.a: $(call objs,bench bench/metrics bench/tiering)
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
TIMER := $(B)/bin/pmig-timer
$(filter-out $(TIMER),$(BINS)): $(ROOM_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $(filter %.o,$^) $(LINK_ROOMS) $(EXT_LIBS)
# pmig-timer, the program each benchmark case's timed calls run in, is static: its
# address space holds itself and nothing of pmig-bench's libraries, the same in every
# build that leaves its code alone (bench/cmd/pmig-timer.c). The sanitizers need it
# dynamic, and so does ppc64el: Debian's libc.a there has one generic memcpy, without
# the POWER variants libc.so picks from, and a static pmig-timer's 1 MiB copy counted
# 2.1 times the instructions under icount (bench/README.md, The timing process).
TIMER_STATIC := $(if $(SAN_FLAGS)$(filter ppc64el,$(DEB_ARCH)),,-static)
$(TIMER): $(ROOM_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(TIMER_STATIC) -o $@ $(filter %.o,$^) $(LINK_ROOMS) \
		$(if $(TIMER_STATIC),$(addprefix -L,$(SYSROOT_LIBS)) -lpfm -lcap -lpthread -lm,$(EXT_LIBS))

# ---- Kernel coverage (issue 25): pmig-covdwarf reads a vmlinux's DWARF with elfutils'
# libdw (libdw-dev); no other program links it. make coverage-doc writes docs/COVERAGE.md
# from the recorded results in results/coverage/ (one *.json per kernel).
$(B)/bin/pmig-covdwarf: EXT_LIBS += -ldw -lelf
.PHONY: coverage-doc
coverage-doc: $(B)/bin/pmig-coverage
	$(B)/bin/pmig-coverage --doc $(sort $(wildcard results/coverage/*.json)) >docs/COVERAGE.md
# ---- end of the coverage block

# The compat cases' 32-bit caller, conformance/compat32/*.c: an i386 program built
# without libc (so no 32-bit libc is needed) and embedded in pmig-conform by
# conformance/compat32_blob.c. x86-64 builds only; elsewhere those cases SKIP.
ifeq ($(CROSS)$(FUZZ)$(shell uname -m),x86_64)
$(B)/bin/pmig-compat32: $(wildcard conformance/compat32/*.c)
	@mkdir -p $(dir $@)
	$(CC) -m32 -static -nostdlib -ffreestanding -fno-pie -no-pie -fno-stack-protector \
		-fno-asynchronous-unwind-tables -std=c11 -O2 -Wall -Wextra -Werror \
		$(REPRO_FLAGS) -o $@ $^
$(B)/conformance/compat32_blob.o: $(B)/bin/pmig-compat32
$(B)/conformance/compat32_blob.o: ALL_CFLAGS += -DPMIG_COMPAT32_BIN='"$(B)/bin/pmig-compat32"'
endif

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
	asan-run fuzz fuzz-run check-lava
.DELETE_ON_ERROR:
.SECONDARY: $(B)/deps-build.stamp $(B)/deps-check.stamp $(B)/deps-run.stamp \
	$(B)/deps-fuzz.stamp
ifdef CROSS
# The spec check runs pmig-conform, which cannot run here; the host build does it.
all: $(addprefix $(B)/bin/,$(GUEST_BINS))
else
all: $(BINS) $(B)/spec-covered.stamp
endif

$(B)/deps-%.stamp: scripts/deps.sh
	@mkdir -p $(B)
	@scripts/deps.sh $*
	@touch $@

$(B)/%.o: %.c | $(BUILD_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/%.o: %.cc | $(BUILD_DEPS)
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

# A LAVA lab on this machine (pmig lava-lab: lava-server, PostgreSQL, a lava-worker, two
# QEMU devices) runs the four-kernel matrix as LAVA jobs; its verdicts must be pmig
# matrix's, and stop must leave nothing running. As root; not part of make check.
check-lava: all
	scripts/tests/check-lava.sh

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

# scripts/cross/ too, where pmig vm finds guest-build.sh, which then says that a
# guest of another architecture needs the source tree.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/pmig
	install -m 755 scripts/pmig $(DESTDIR)$(PREFIX)/bin/pmig
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/libexec/pmig/
	install -d $(DESTDIR)$(PREFIX)/libexec/pmig/vm/topologies
	install -m 755 scripts/vm/*.sh $(DESTDIR)$(PREFIX)/libexec/pmig/vm/
	install -m 644 scripts/vm/topologies/* $(DESTDIR)$(PREFIX)/libexec/pmig/vm/topologies/
	install -m 644 lava/verdicts.awk $(DESTDIR)$(PREFIX)/libexec/pmig/vm/
	install -d $(DESTDIR)$(PREFIX)/libexec/pmig/cross
	install -m 755 scripts/cross/*.sh $(DESTDIR)$(PREFIX)/libexec/pmig/cross/

# ---- For CI and test machines (issue 17), a block of its own: the version, man
# page, bash completion and schemas that make install adds; the bundle; the
# kselftest layout. The version is VERSION and the commit (scripts/version.sh):
# no date or path, so two clones of a commit build the same bytes.
.PHONY: install-share bundle kselftest-install
install: install-share
install-share: all
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/pmig/schema $(DESTDIR)$(PREFIX)/libexec/pmig
	install -m 644 docs/pmig.1 $(DESTDIR)$(PREFIX)/share/man/man1/pmig.1
	install -m 644 scripts/pmig-completion.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pmig
	install -m 644 results/schema/* $(DESTDIR)$(PREFIX)/share/pmig/schema/
	scripts/version.sh >$(DESTDIR)$(PREFIX)/libexec/pmig/version

# One tarball for a test machine of this architecture: pmig/ with the programs,
# their libraries and the loader that starts them (scripts/bundle.sh).
BUNDLE = $(B)/pmig-bundle-$(shell scripts/version.sh)-$(shell uname -m).tar.gz
bundle: all
	scripts/bundle.sh $(BUNDLE) $(BINS)
	@echo "bundle: $(BUNDLE)"

# run_kselftest.sh's layout in DESTDIR: kselftest-list.txt and the pmig collection.
kselftest-install: all
	@[ -n "$(DESTDIR)" ] || { echo "make kselftest-install needs DESTDIR=DIR" >&2; exit 2; }
	scripts/kselftest/install.sh $(DESTDIR) $(BINS)
# ---- end of the CI block

# ---- Kernel coverage (issue 25), a block of its own: the tables' archive
# (coverage/, which the plugin and the unit tests share) and the QEMU TCG plugin
# that pmig vm --coverage loads, $(B)/lib/pmig-cov.so. The plugin is built for
# this machine only (QEMU runs here, whatever the guest), without the sanitizers
# (QEMU does not load an ASan library) and without the guest programs' -MMD.
ROOMS += coverage
$(B)/libcov.a: $(call objs,coverage)
	@rm -f $@
	$(AR) rcs $@ $^
ROOM_LIBS += $(B)/libcov.a
$(BINS) $(TEST_BINS): $(B)/libcov.a
ifeq ($(CROSS)$(FUZZ),)
PLUGIN := $(B)/lib/pmig-cov.so
PLUGIN_SRCS := coverage/plugin/pmig-cov.c coverage/covtab.c
all: $(PLUGIN)
$(PLUGIN): $(PLUGIN_SRCS) $(wildcard coverage/*.h coverage/plugin/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Icoverage $(REPRO_FLAGS) \
		$(CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ $(PLUGIN_SRCS) -lpthread
.PHONY: install-cov
install: install-cov
install-cov: all
	install -d $(DESTDIR)$(PREFIX)/libexec/pmig
	install -m 644 $(PLUGIN) $(DESTDIR)$(PREFIX)/libexec/pmig/
endif
# ---- end of the coverage block

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz build-arm64 build-ppc64el

# Not into a cross build's sysroot, whose files are not this build's dependencies.
-include $(shell find $(B) -name sysroot -prune -o -name '*.d' -print 2>/dev/null)
