/* test_sandbox.c - unit tests of the case sandbox, the check verbs and the syscall wrappers. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "journal.h"
#include "priv.h"
#include "sandbox.h"
#include "syscalls.h"

static struct pmig_sandbox_status run(const struct pmig_sandbox *sb,
				      pmig_sandbox_fn fn, void *arg)
{
	struct pmig_sandbox_status st;

	assert_int_equal(pmig_sandbox_run(sb, fn, arg, &st), 0);
	return st;
}

static void passes(void *arg)
{
	(void)arg;
	pmig_diag("hello %d", 42);
	pmig_check_eq(1 + 1, 2);
}

static void fails_twice(void *arg)
{
	(void)arg;
	pmig_check_eq(-ENOENT, -EFAULT);
	pmig_check(1 == 2);
}

static void requires(void *arg)
{
	int *reached = arg;

	*reached = 1;
	pmig_require_eq(3, 4);
	*reached = 2; /* never: require stops the case */
	pmig_diag("after require");
}

static void skips(void *arg)
{
	(void)arg;
	pmig_skip("no %s here", "hugepages");
}

static void broken(void *arg)
{
	(void)arg;
	pmig_broken("setup failed: %s", "ENOMEM");
}

static void crashes(void *arg)
{
	(void)arg;
	raise(SIGSEGV);
}

static void hangs(void *arg)
{
	pid_t grandchild = fork();

	(void)arg;
	if (grandchild == 0) /* in the same group: it must die too */
		for (;;)
			pause();
	pmig_diag("grandchild %d", (int)grandchild);
	for (;;)
		pause();
}

static void prints(void *arg)
{
	(void)arg;
	printf("stray stdout\n");
	fflush(stdout);
	fprintf(stderr, "stray stderr\n");
}

static void test_pass(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st = run(&sb, passes, NULL);

	(void)state;
	assert_int_equal(st.outcome, PMIG_PASS);
	assert_null(st.reason);
	assert_string_equal(st.diag, "hello 42");
	pmig_sandbox_status_free(&st);
}

static void test_fail_keeps_first_reason_and_all_messages(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st = run(&sb, fails_twice, NULL);

	(void)state;
	assert_int_equal(st.outcome, PMIG_FAIL);
	assert_non_null(
		strstr(st.reason,
		       "-ENOENT: expected -EFAULT (-14), got -ENOENT (-2)"));
	assert_non_null(strstr(st.reason, "test_sandbox.c:"));
	assert_non_null(strstr(st.diag, "1 == 2: expected true, got false"));
	pmig_sandbox_status_free(&st);
}

static void test_require_stops(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	/* Shared, so that the parent sees how far the forked case got. */
	int *reached = mmap(NULL, sizeof(*reached), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct pmig_sandbox_status st;

	(void)state;
	assert_true(reached != MAP_FAILED);
	*reached = 0;
	st = run(&sb, requires, reached);
	assert_int_equal(st.outcome, PMIG_FAIL);
	assert_int_equal(*reached, 1);
	assert_null(strstr(st.diag, "after require"));
	assert_non_null(strstr(st.reason, "expected 4, got 3"));
	pmig_sandbox_status_free(&st);
	munmap(reached, sizeof(*reached));
}

static void test_skip_and_broken(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st = run(&sb, skips, NULL);

	(void)state;
	assert_int_equal(st.outcome, PMIG_SKIP);
	assert_string_equal(st.reason, "no hugepages here");
	pmig_sandbox_status_free(&st);
	st = run(&sb, broken, NULL);
	assert_int_equal(st.outcome, PMIG_ERROR);
	assert_string_equal(st.reason, "setup failed: ENOMEM");
	pmig_sandbox_status_free(&st);
}

static void test_crash_is_error(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st = run(&sb, crashes, NULL);

	(void)state;
	assert_int_equal(st.outcome, PMIG_ERROR);
	assert_non_null(strstr(st.reason, "killed by signal 11"));
	pmig_sandbox_status_free(&st);
}

/* A case that journals "write 'undone' to @arg" and leaves it to the runner. */
static void journals_and_leaves(void *arg)
{
	pmig_jid id;

	assert_int_equal(pmig_journal_note(PMIG_J_WRITE, arg, "undone", &id),
			 0);
}

/* A case that journals the same and marks it undone itself. */
static void journals_and_undoes(void *arg)
{
	pmig_jid id;

	assert_int_equal(pmig_journal_note(PMIG_J_WRITE, arg, "undone", &id),
			 0);
	pmig_journal_undone(id);
}

/* The file at @path, whole (short files only). */
static char *slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * What a case process journaled and did not undo is undone when it ends,
 * and its diagnostics say so; what it undid itself is left alone.
 */
static void test_journal_left_by_the_case_is_undone(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st;
	char dir[256], jpath[300], file[300], buf[64];
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pmig-sandbox-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(jpath, sizeof(jpath), "%s/journal", dir);
	snprintf(file, sizeof(file), "%s/value", dir);
	f = fopen(file, "we");
	assert_non_null(f);
	fputs("before", f);
	fclose(f);
	assert_int_equal(pmig_journal_start(jpath), 0);

	st = run(&sb, journals_and_undoes, file);
	assert_int_equal(st.outcome, PMIG_PASS);
	assert_string_equal(slurp(file, buf, sizeof(buf)), "before");
	assert_null(st.diag ? strstr(st.diag, "undone after the case") : NULL);
	pmig_sandbox_status_free(&st);

	st = run(&sb, journals_and_leaves, file);
	assert_int_equal(st.outcome, PMIG_PASS);
	assert_string_equal(slurp(file, buf, sizeof(buf)), "undone");
	assert_non_null(st.diag);
	assert_non_null(
		strstr(st.diag, "undone after the case: undone written to"));
	pmig_sandbox_status_free(&st);

	pmig_journal_finish();
	unlink(file);
	unlink(jpath);
	rmdir(dir);
}

/*
 * Reaps @pid, a child of ours, if it dies within @ms; -1 if it is still
 * alive, else its wait status.
 */
static int reap_within(pid_t pid, int ms)
{
	int ws;

	for (; ms >= 0; ms -= 10) {
		if (waitpid(pid, &ws, WNOHANG) == pid)
			return ws;
		usleep(10000);
	}
	return -1;
}

static void test_timeout_kills_group(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 200 };
	struct pmig_sandbox_status st;
	const char *at;
	int grandchild = 0, ws;

	(void)state;
	/*
	 * The orphaned grandchild becomes our child, so that we can tell
	 * it was killed (run() returns even while a grandchild lives on).
	 */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	st = run(&sb, hangs, NULL);
	assert_int_equal(st.outcome, PMIG_ERROR);
	assert_string_equal(st.reason, "timed out after 200 ms");
	at = strstr(st.diag, "grandchild ");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "grandchild %d", &grandchild), 1);
	assert_true(grandchild > 0);
	ws = reap_within(grandchild, 2000);
	if (ws == -1) {
		kill(grandchild, SIGKILL);
		waitpid(grandchild, NULL, 0);
		fail_msg("grandchild %d outlived its case", grandchild);
	}
	assert_true(WIFSIGNALED(ws));
	assert_int_equal(WTERMSIG(ws), SIGKILL);
	pmig_sandbox_status_free(&st);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

static void test_output_is_captured(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st = run(&sb, prints, NULL);

	(void)state;
	assert_int_equal(st.outcome, PMIG_PASS);
	assert_non_null(strstr(st.diag, "output: stray stdout"));
	assert_non_null(strstr(st.diag, "output: stray stderr"));
	pmig_sandbox_status_free(&st);
}

static void reports_identity(void *arg)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t nice = CAP_SET, admin = CAP_CLEAR;

	(void)arg;
	cap_get_flag(caps, CAP_SYS_NICE, CAP_EFFECTIVE, &nice);
	cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &admin);
	cap_free(caps);
	pmig_diag("uid=%u nice=%d admin=%d", (unsigned)getuid(),
		  nice == CAP_SET, admin == CAP_SET);
}

static void test_privilege_drop(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000,
				   .drop_caps = PMIG_CAP(CAP_SYS_NICE) };
	struct pmig_sandbox_status st;
	uid_t uid;
	gid_t gid;

	(void)state;
	if (geteuid() != 0)
		skip();
	st = run(&sb, reports_identity, NULL);
	assert_int_equal(st.outcome, PMIG_PASS);
	assert_string_equal(st.diag, "uid=0 nice=0 admin=1");
	pmig_sandbox_status_free(&st);

	pmig_priv_unprivileged_ids(&uid, &gid);
	sb = (struct pmig_sandbox){
		.timeout_ms = 5000, .set_user = true, .uid = uid, .gid = gid
	};
	st = run(&sb, reports_identity, NULL);
	assert_int_equal(st.outcome, PMIG_PASS);
	char want[64];
	snprintf(want, sizeof(want), "uid=%u nice=0 admin=0", (unsigned)uid);
	assert_string_equal(st.diag, want);
	pmig_sandbox_status_free(&st);
}

static void test_syscall_wrappers_return_minus_errno(void **state)
{
	int status = 0;
	void *page = &status;
	char buf[32];

	(void)state;
	assert_int_equal(pmig_move_pages(0, 1, &page, NULL, &status, 1 << 7),
			 -EINVAL);
	assert_int_equal(pmig_move_pages(0, 0, NULL, NULL, NULL, 0), 0);
	assert_int_equal(pmig_migrate_pages(-1, 0, NULL, NULL), -ESRCH);
	assert_string_equal(pmig_errno_text(-ENOENT, buf, sizeof(buf)),
			    "-ENOENT");
	assert_string_equal(pmig_errno_text(3, buf, sizeof(buf)), "3");
	assert_true(pmig_page_node(&status) >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_fail_keeps_first_reason_and_all_messages),
		cmocka_unit_test(test_require_stops),
		cmocka_unit_test(test_skip_and_broken),
		cmocka_unit_test(test_crash_is_error),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_output_is_captured),
		cmocka_unit_test(test_privilege_drop),
		cmocka_unit_test(test_syscall_wrappers_return_minus_errno),
		cmocka_unit_test(test_journal_left_by_the_case_is_undone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
