/* test_journal.c - unit tests of the settings journal: records, parsing, torn records, undo, dead-run detection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "settings.h"

static char dir[256], jpath[300], file_a[300], file_b[300];

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static const char *get(const char *path)
{
	static char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/pmig-journal-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(jpath, sizeof(jpath), "%s/journal", dir);
	snprintf(file_a, sizeof(file_a), "%s/a", dir);
	snprintf(file_b, sizeof(file_b), "%s/b", dir);
	put(file_a, "1\n");
	put(file_b, "always [madvise] never\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* A child applies settings with a journal, then dies by SIGKILL: the journal is all that is left. */
static void killed_child(const char *a_value)
{
	const struct pmig_setting s[] = {
		{ file_a, a_value, PMIG_SR_REQUIRED },
		{ file_b, "never", PMIG_SR_REQUIRED },
	};
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (pmig_journal_start(jpath) ||
		    pmig_settings_apply(s, 2, NULL))
			_exit(1);
		raise(SIGKILL);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
}

static void test_write_and_parse(void **state)
{
	struct pmig_journal j;
	const char *text;

	(void)state;
	killed_child("0 with space%");
	assert_string_equal(get(file_a), "0 with space%");
	text = get(jpath);
	assert_int_equal(text[0], 'P');
	assert_int_equal(pmig_journal_parse(text, strlen(text), &j), 0);
	assert_true(j.has_owner);
	assert_int_equal(j.n, 2);
	assert_int_equal(j.e[0].kind, PMIG_J_SETTING);
	assert_string_equal(j.e[0].a, file_a);
	assert_string_equal(j.e[0].b, "1");
	assert_string_equal(j.e[1].b, "madvise");
	assert_false(j.e[0].undone);
	pmig_journal_free(&j);
}

/*
 * Every kind of step, replayed from the record alone, newest first: a
 * controller taken out of a subtree_control list, a one-shot write, a
 * write and then the original value on the same file, a directory removed;
 * a path that is gone, a device never swapped on and a mount point with
 * nothing mounted are nothing to undo.
 */
static void test_steps_replayed(void **state)
{
	char text[4096], ctl[320], sub[320], gone[320], said[1024];
	struct pmig_journal j;

	(void)state;
	snprintf(ctl, sizeof(ctl), "%s/cgroup.subtree_control", dir);
	put(ctl, "cpuset memory\n");
	snprintf(sub, sizeof(sub), "%s/pmig-1", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(gone, sizeof(gone), "%s/gone", dir);
	put(file_a, "changed\n");
	snprintf(text, sizeof(text),
		 "P 1 2 3\nD 7.1 =%s =memory\nC 7.2 =%s =\nS 7.3 =%s =1\n"
		 "W 7.4 =%s =later\nW 7.5 =%s =x\nO 7.6 =%s =\n"
		 "M 7.7 =%s =cgroup2\nD 7.8 =%s =io\n",
		 ctl, sub, file_a, file_a, gone, file_b, dir, ctl);
	assert_int_equal(pmig_journal_parse(text, strlen(text), &j), 0);
	assert_int_equal(j.n, 8);
	assert_int_equal(j.e[0].kind, PMIG_J_DROP_WORD);
	assert_int_equal(j.e[3].kind, PMIG_J_WRITE);
	assert_int_equal(j.e[5].kind, PMIG_J_SWAP);
	/* D memory, C, W later, S 1: four changes; io, gone, O and M nothing. */
	assert_int_equal(pmig_journal_undo(&j, said, sizeof(said)), 4);
	assert_string_equal(get(ctl), "-memory");
	assert_int_equal(access(sub, F_OK), -1);
	assert_string_equal(get(file_a), "1");
	assert_int_equal(access(gone, F_OK), -1);
	assert_non_null(strstr(said, "memory out of"));
	assert_non_null(strstr(said, "later written to"));
	assert_non_null(strstr(said, "(was later)"));
	assert_null(strstr(said, "io out of"));
	pmig_journal_free(&j);
}

static void test_escaping_round_trip(void **state)
{
	const char *text =
		"P 1 2 3\nS 7.1 =/x%20y =a%0Ab%25\nW 7.2 =/r =1\nR 7.2\n";
	struct pmig_journal j;

	(void)state;
	assert_int_equal(pmig_journal_parse(text, strlen(text), &j), 0);
	assert_int_equal(j.n, 2);
	assert_string_equal(j.e[0].a, "/x y");
	assert_string_equal(j.e[0].b, "a\nb%");
	assert_false(j.e[0].undone);
	assert_true(j.e[1].undone);
	pmig_journal_free(&j);
}

static void test_torn_record_ignored(void **state)
{
	const char *whole = "P 1 2 3\nS 7.1 =/a =1\nS 7.2 =/b =2\n";
	const char *torn = "P 1 2 3\nS 7.1 =/a =1\nS 7.2 =/b =2";
	const char *padded = "P 1 2 3\nS 7.1 =/a =1\nS 7.2 =/b\0\0\0\n";
	const char *bad = "P 1 2 3\nS 7.1 =/a =1\nS 7.2 /b =2\nS x =/c =3\n";
	struct pmig_journal j;

	(void)state;
	assert_int_equal(pmig_journal_parse(whole, strlen(whole), &j), 0);
	assert_int_equal(j.n, 2);
	pmig_journal_free(&j);
	assert_int_equal(pmig_journal_parse(torn, strlen(torn), &j), 0);
	assert_int_equal(j.n, 1);
	assert_string_equal(j.e[0].a, "/a");
	pmig_journal_free(&j);
	assert_int_equal(pmig_journal_parse(padded, 33, &j), 0);
	assert_int_equal(j.n, 1);
	pmig_journal_free(&j);
	assert_int_equal(pmig_journal_parse(bad, strlen(bad), &j), 0);
	assert_int_equal(j.n, 1);
	pmig_journal_free(&j);
}

static void test_recover_dead_run(void **state)
{
	struct pmig_run_id was;
	char said[1024];

	(void)state;
	killed_child("5");
	assert_string_equal(get(file_a), "5");
	assert_string_equal(get(file_b), "never");
	assert_int_equal(pmig_journal_recover(jpath, &was, said, sizeof(said)),
			 2);
	assert_true(was.pid > 0);
	assert_string_equal(get(file_a), "1");
	assert_string_equal(get(file_b), "madvise");
	assert_non_null(strstr(said, "(was 5)"));
	/* Emptied: a second recover has nothing to do. */
	assert_string_equal(get(jpath), "");
	assert_int_equal(pmig_journal_recover(jpath, &was, said, sizeof(said)),
			 0);
}

static void test_restored_not_undone_again(void **state)
{
	const struct pmig_setting s = { file_a, "9", PMIG_SR_REQUIRED };
	struct pmig_journal j;
	size_t mark;
	pid_t pid = fork();
	int st;

	(void)state;
	if (pid == 0) {
		if (pmig_journal_start(jpath) ||
		    pmig_settings_apply(&s, 1, &mark))
			_exit(1);
		pmig_settings_restore_to(mark);
		/* Someone else changes it after the run put it back. */
		put(file_a, "7");
		raise(SIGKILL);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(pmig_journal_parse(get(jpath), strlen(get(jpath)), &j),
			 0);
	assert_int_equal(j.n, 1);
	assert_true(j.e[0].undone);
	pmig_journal_free(&j);
}

static void test_clean_exit_empties(void **state)
{
	const struct pmig_setting s = { file_a, "9", PMIG_SR_REQUIRED };
	pid_t pid = fork();
	int st;

	(void)state;
	if (pid == 0) {
		if (pmig_journal_start(jpath) ||
		    pmig_settings_apply(&s, 1, NULL))
			_exit(1);
		exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_string_equal(get(file_a), "1");
	assert_string_equal(get(jpath), "");
}

/*
 * A run's forked child changes a setting and dies: the run undoes the
 * child's records (not its own), and the journal marks them undone; a second
 * call finds nothing. In a process of its own, as a run is: the settings and
 * the journal are per process. Its exit status names the first check that
 * failed.
 */
static int owner_of_a_dead_child(void)
{
	const struct pmig_setting mine = { file_b, "never", PMIG_SR_REQUIRED };
	const struct pmig_setting its = { file_a, "9", PMIG_SR_REQUIRED };
	struct pmig_journal j;
	char said[256];
	pid_t pid;
	int st, bad;

	if (pmig_journal_start(jpath) || pmig_settings_apply(&mine, 1, NULL))
		return 2;
	pid = fork();
	if (pid == 0) {
		if (pmig_settings_apply(&its, 1, NULL))
			_exit(1);
		raise(SIGKILL);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st) ||
	    strcmp(get(file_a), "9"))
		return 3;
	if (pmig_journal_undo_child(pid, said, sizeof(said)) != 1 ||
	    strcmp(get(file_a), "1") || !strstr(said, file_a))
		return 4;
	/* The run's own change stands; the child's is marked undone. */
	if (strcmp(get(file_b), "never") ||
	    pmig_journal_parse(get(jpath), strlen(get(jpath)), &j))
		return 5;
	bad = j.n != 2 || j.e[0].undone || !j.e[1].undone;
	pmig_journal_free(&j);
	if (bad)
		return 6;
	if (pmig_journal_undo_child(pid, said, sizeof(said)) != 0)
		return 7;
	pmig_settings_restore_all();
	return strcmp(get(file_b), "madvise") ? 8 : 0;
}

static void test_dead_child_undone_by_run(void **state)
{
	pid_t pid = fork();
	int st;

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(owner_of_a_dead_child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_live_run_left_alone(void **state)
{
	struct pmig_run_id was;
	char said[256], text[512];

	(void)state;
	/* A journal whose owner is alive: this test's parent. */
	struct pmig_run_id me = { .pid = getppid() };

	assert_int_equal(pmig_proc_start(me.pid, &me.start), 0);
	snprintf(text, sizeof(text), "P %d %llu 0\nS %d.1 =%s =4\n",
		 (int)me.pid, me.start, (int)me.pid, file_a);
	put(jpath, text);
	assert_int_equal(pmig_journal_recover(jpath, &was, said, sizeof(said)),
			 -EBUSY);
	assert_string_equal(get(file_a), "1\n");
	assert_string_equal(get(jpath), text);
}

static void test_dead_run_detection(void **state)
{
	struct pmig_run_id id = { .pid = getpid() };
	pid_t child;
	int st;

	(void)state;
	assert_int_equal(pmig_proc_start(id.pid, &id.start), 0);
	assert_true(pmig_run_alive(&id));
	/* The same pid with another start time: a reused pid is not the run. */
	id.start++;
	assert_false(pmig_run_alive(&id));
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, &st, 0);
	id.pid = child;
	assert_false(pmig_run_alive(&id));
	assert_int_equal(pmig_proc_start(child, &id.start), -ESRCH);
	id.pid = 0;
	assert_false(pmig_run_alive(&id));
}

static void test_runlock(void **state)
{
	struct pmig_run_id holder;
	int fd, fd2, p[2];
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		if (pmig_runlock_take(dir, false, &fd, NULL))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(pmig_runlock_take(dir, false, &fd2, &holder),
			 -EWOULDBLOCK);
	assert_int_equal(holder.pid, pid);
	assert_true(pmig_run_alive(&holder));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(pmig_runlock_take(dir, false, &fd2, &holder), 0);
	close(fd2);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_and_parse, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_steps_replayed, setup,
						teardown),
		cmocka_unit_test(test_escaping_round_trip),
		cmocka_unit_test(test_torn_record_ignored),
		cmocka_unit_test_setup_teardown(test_recover_dead_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restored_not_undone_again,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_exit_empties, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dead_child_undone_by_run,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_live_run_left_alone, setup,
						teardown),
		cmocka_unit_test(test_dead_run_detection),
		cmocka_unit_test_setup_teardown(test_runlock, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
