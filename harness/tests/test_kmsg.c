/* test_kmsg.c - unit tests of the /dev/kmsg record parser, the problem rule, the taint diff and a watch over canned records. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kmsg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Records as a 6.1 kernel gives them, a WARN_ON() splat among them. */
static const char *const warn_splat[] = {
	"6,1201,93402116,-;zram0: detected capacity change from 0 to 524288\n",
	"4,1202,93510001,-;------------[ cut here ]------------\n",
	"4,1203,93510050,-;WARNING: CPU: 1 PID: 211 at mm/migrate.c:2190 do_pages_move+0x3c/0x4f0\n",
	"4,1204,93510090,c;Modules linked in: ext4 brd zram\n",
	"4,1205,93510120,-;Call Trace:\n SUBSYSTEM=cpu\n DEVICE=+cpu:1\n",
	"4,1206,93510150,-;---[ end trace 0000000000000000 ]---\n",
};

static void test_parse(void **state)
{
	struct pmig_kmsg_record r;
	const char *rec = warn_splat[4];

	(void)state;
	assert_int_equal(pmig_kmsg_parse(rec, strlen(rec), &r), 0);
	assert_int_equal(r.level, 4);
	assert_int_equal(r.facility, 0);
	assert_int_equal(r.seq, 1205);
	/* The dictionary lines after the text are not part of it. */
	assert_int_equal(r.len, strlen("Call Trace:"));
	assert_memory_equal(r.text, "Call Trace:", r.len);

	/* A line written to /dev/kmsg from user space: facility user. */
	rec = "12,7,5,-;WARNING: pmig test";
	assert_int_equal(pmig_kmsg_parse(rec, strlen(rec), &r), 0);
	assert_int_equal(r.level, 4);
	assert_int_equal(r.facility, 1);
	assert_int_equal(r.len, strlen("WARNING: pmig test"));
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",	  "no semicolon", ";text", "x,1,2,-;text",
		"4;text", "4,x;text",
	};
	struct pmig_kmsg_record r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (pmig_kmsg_parse(bad[i], strlen(bad[i]), &r) != -EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
}

static bool problem(const char *rec)
{
	struct pmig_kmsg_record r;

	assert_int_equal(pmig_kmsg_parse(rec, strlen(rec), &r), 0);
	return pmig_kmsg_is_problem(&r);
}

static void test_problem_rule(void **state)
{
	static const char *const yes[] = {
		"4,1,1,-;WARNING: CPU: 0 PID: 1 at mm/migrate.c:10 f+0x1/0x2",
		"1,1,1,-;BUG: unable to handle page fault for address: 0000000000001000",
		"0,1,1,-;kernel BUG at mm/huge_memory.c:2437!",
		"4,1,1,-;Oops: 0002 [#1] PREEMPT SMP NOPTI",
		"4,1,1,-;general protection fault, probably for non-canonical address",
		"0,1,1,-;Kernel panic - not syncing: Fatal exception",
		"3,1,1,-;BUG: KASAN: use-after-free in migrate_folio+0x10/0x20",
		"3,1,1,-;BUG: KFENCE: out-of-bounds read in f+0x1/0x2",
		"3,1,1,-;UBSAN: shift-out-of-bounds in mm/mempolicy.c:300:5",
		"4,1,1,-;WARNING: possible circular locking dependency detected",
		"4,1,1,-;INFO: possible recursive locking detected",
		"3,1,1,-;INFO: task pmig-conform:211 blocked for more than 120 seconds.",
		"0,1,1,-;watchdog: BUG: soft lockup - CPU#0 stuck for 22s!",
		"3,1,1,-;rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
		"4,1,1,-;refcount_t: underflow; use-after-free.",
		"12,1,1,-;WARNING: pmig test",
	};
	static const char *const no[] = {
		/* Info level: a name or a path with the word is no report. */
		"6,1,1,-;Oops-tracker driver loaded",
		"7,1,1,-;WARNING: debug chatter",
		"4,1,1,-;------------[ cut here ]------------",
		"4,1,1,-;zram: Added device: zram0",
		"5,1,1,-;random: crng init done",
		/* A node filled on purpose: the allocation failure and its stack. */
		"4,1,1,-;pmig-conform: page allocation failure: order:0, mode:0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), nodemask=1,cpuset=/,mems_allowed=0-1",
		"4,1,1,-;Call Trace:",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (!problem(yes[i]))
			fail_msg("missed: %s", yes[i]);
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (problem(no[i]))
			fail_msg("flagged: %s", no[i]);
}

static void test_taint_describe(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(pmig_taint_describe(0, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* Bits already set are no news. */
	assert_int_equal(
		pmig_taint_describe(1UL << 9, 1UL << 9, buf, sizeof(buf)), 0);
	assert_int_equal(
		pmig_taint_describe(1UL << 12,
				    (1UL << 12) | (1UL << 9) | (1UL << 7), buf,
				    sizeof(buf)),
		2);
	assert_string_equal(buf, "D (die: oops or BUG), W (warning)");
	/* A bit past the known ones (a newer kernel's) still counts. */
	assert_int_equal(pmig_taint_describe(0, 1UL << 30, buf, sizeof(buf)),
			 1);
	assert_string_equal(buf, "bit 30");
	/* A short buffer stays terminated. */
	assert_int_equal(pmig_taint_describe(0, 0x3ff, buf, 8), 10);
	assert_int_equal(strlen(buf), 7);
}

/* A watch over a packet socket (one record per read, like /dev/kmsg) and a taint file. */
struct rig {
	int sv[2];
	char taint[64];
	struct pmig_kmsg k;
};

static void set_taint(struct rig *g, unsigned long v)
{
	FILE *f = fopen(g->taint, "w");

	assert_non_null(f);
	fprintf(f, "%lu\n", v);
	fclose(f);
}

static void put(struct rig *g, const char *rec)
{
	assert_int_equal(write(g->sv[1], rec, strlen(rec)),
			 (ssize_t)strlen(rec));
}

static int rig_setup(void **state)
{
	struct rig *g = calloc(1, sizeof(*g));
	int fd;

	assert_non_null(g);
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, g->sv),
		0);
	snprintf(g->taint, sizeof(g->taint), "/tmp/pmig-taint-XXXXXX");
	fd = mkstemp(g->taint);
	assert_true(fd >= 0);
	close(fd);
	set_taint(g, 4096);
	/* A socket cannot be opened by path: the watch gets its end instead. */
	assert_int_equal(pmig_kmsg_open(&g->k, "/nonexistent/kmsg", g->taint),
			 -ENOENT);
	g->k.fd = dup(g->sv[0]);
	*state = g;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *g = *state;

	pmig_kmsg_close(&g->k);
	close(g->sv[0]);
	close(g->sv[1]);
	unlink(g->taint);
	free(g);
	return 0;
}

static void test_quiet_case(void **state)
{
	struct rig *g = *state;

	put(g, warn_splat[0]);
	pmig_kmsg_mark(&g->k);
	put(g, warn_splat[0]);
	assert_null(pmig_kmsg_collect(&g->k));
}

static void test_warning_in_case(void **state)
{
	struct rig *g = *state;
	char *text;

	/* Before the mark: another case's, not this one's. */
	put(g, "4,1,1,-;WARNING: CPU: 0 PID: 9 at earlier.c:1 f+0x1/0x2\n");
	pmig_kmsg_mark(&g->k);
	for (size_t i = 0; i < ARRAY_SIZE(warn_splat); i++)
		put(g, warn_splat[i]);
	set_taint(g, 4096 | 512);
	text = pmig_kmsg_collect(&g->k);
	assert_non_null(text);
	assert_string_equal(
		text,
		"WARNING: CPU: 1 PID: 211 at mm/migrate.c:2190 do_pages_move+0x3c/0x4f0\n"
		"Modules linked in: ext4 brd zram\n"
		"Call Trace:\n"
		"---[ end trace 0000000000000000 ]---\n"
		"the kernel became tainted: W (warning) (tainted 4096 -> 4608)");
	free(text);
	/* Collected once: the next case starts clean. */
	pmig_kmsg_mark(&g->k);
	assert_null(pmig_kmsg_collect(&g->k));
}

static void test_taint_alone(void **state)
{
	struct rig *g = *state;
	char *text;

	pmig_kmsg_mark(&g->k);
	set_taint(g, 4096 | 32);
	text = pmig_kmsg_collect(&g->k);
	assert_non_null(text);
	assert_string_equal(
		text,
		"the kernel became tainted: B (bad page) (tainted 4096 -> 4128)");
	free(text);
}

static void test_long_splat_is_cut(void **state)
{
	struct rig *g = *state;
	char rec[64], *text, *p;
	unsigned lines = 1;

	pmig_kmsg_mark(&g->k);
	put(g, "0,1,1,-;BUG: unable to handle page fault\n");
	for (int i = 0; i < 40; i++) {
		snprintf(rec, sizeof(rec), "4,%d,1,-; frame_%d+0x1/0x2\n",
			 i + 2, i);
		put(g, rec);
	}
	text = pmig_kmsg_collect(&g->k);
	assert_non_null(text);
	for (p = text; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 16);
	free(text);
}

static void test_unreadable_log(void **state)
{
	struct pmig_kmsg k;

	(void)state;
	assert_int_equal(
		pmig_kmsg_open(&k, "/nonexistent/kmsg", "/nonexistent/tainted"),
		-ENOENT);
	pmig_kmsg_mark(&k);
	assert_null(pmig_kmsg_collect(&k));
	pmig_kmsg_close(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_problem_rule),
		cmocka_unit_test(test_taint_describe),
		cmocka_unit_test_setup_teardown(test_quiet_case, rig_setup,
						rig_teardown),
		cmocka_unit_test_setup_teardown(test_warning_in_case, rig_setup,
						rig_teardown),
		cmocka_unit_test_setup_teardown(test_taint_alone, rig_setup,
						rig_teardown),
		cmocka_unit_test_setup_teardown(test_long_splat_is_cut,
						rig_setup, rig_teardown),
		cmocka_unit_test(test_unreadable_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
