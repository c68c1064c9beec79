/* test_settings.c - unit tests of settings save/restore, with temporary files standing in for sysctls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "settings.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char tmpdir[PATH_MAX];
static char path_a[PATH_MAX], path_b[PATH_MAX], path_missing[PATH_MAX];
/* Restore failures counted before the running test, so one failing test does not fail the rest. */
static unsigned failures_before;

static void make_path(char *buf, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", tmpdir, name);

	assert_true(n > 0 && n < PATH_MAX);
}

static void put_file(const char *path, const char *content)
{
	size_t len = strlen(content);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* The exact bytes of @path (no newline stripping), so a stray newline fails a comparison. */
static const char *get_file(const char *path)
{
	static char buf[1024];
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	r = read(fd, buf, sizeof(buf) - 1);
	assert_true(r >= 0);
	buf[r] = '\0';
	close(fd);
	return buf;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int group_setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/pmig-test-settings-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	make_path(path_a, "a");
	make_path(path_b, "b");
	make_path(path_missing, "missing");
	return 0;
}

static int group_teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	char p[PATH_MAX];

	(void)state;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		make_path(p, de->d_name);
		/* A failed test may leave a subdirectory, never more than one level. */
		if (unlink(p) && errno == EISDIR)
			rmdir(p);
	}
	closedir(d);
	return rmdir(tmpdir);
}

static int setup(void **state)
{
	(void)state;
	put_file(path_a, "1\n");
	put_file(path_b, "foo\n");
	unlink(path_missing);
	failures_before = pmig_settings_restore_failures();
	return 0;
}

/* A failed test must not leave entries that change what the next one sees. */
static int teardown(void **state)
{
	(void)state;
	pmig_settings_restore_all();
	return 0;
}

/* Runs first: the hooks must not exist before the first apply in this process. */
static void test_hooks_installed_on_first_apply(void **state)
{
	const struct pmig_setting s[] = { { path_a, "2", PMIG_SR_REQUIRED } };
	struct sigaction old_hup, ign = { .sa_handler = SIG_IGN }, cur;

	(void)state;
	assert_int_equal(sigaction(SIGTERM, NULL, &cur), 0);
	assert_ptr_equal(cur.sa_handler, SIG_DFL);
	sigemptyset(&ign.sa_mask);
	assert_int_equal(sigaction(SIGHUP, &ign, &old_hup), 0);

	assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);
	assert_int_equal(sigaction(SIGTERM, NULL, &cur), 0);
	assert_ptr_not_equal(cur.sa_handler, SIG_DFL);
	assert_ptr_not_equal(cur.sa_handler, SIG_IGN);
	assert_int_equal(sigaction(SIGSEGV, NULL, &cur), 0);
	assert_ptr_not_equal(cur.sa_handler, SIG_DFL);
	/* An ignored signal stays ignored: hooking it would make it fatal. */
	assert_int_equal(sigaction(SIGHUP, NULL, &cur), 0);
	assert_ptr_equal(cur.sa_handler, SIG_IGN);
	assert_int_equal(sigaction(SIGHUP, &old_hup, NULL), 0);

	assert_string_equal(get_file(path_a), "2");
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "1");
}

static void test_apply_then_restore_to(void **state)
{
	const struct pmig_setting s[] = {
		{ path_a, "20", PMIG_SR_REQUIRED },
		{ path_b, "bar", PMIG_SR_REQUIRED },
	};
	size_t mark = 999;

	(void)state;
	assert_int_equal(pmig_settings_apply(s, ARRAY_SIZE(s), &mark), 0);
	assert_int_equal(mark, 0);
	assert_string_equal(get_file(path_a), "20");
	assert_string_equal(get_file(path_b), "bar");
	pmig_settings_restore_to(mark);
	/* The trailing newline is not part of the value. */
	assert_string_equal(get_file(path_a), "1");
	assert_string_equal(get_file(path_b), "foo");
	assert_int_equal(pmig_settings_restore_failures(), failures_before);
}

static void test_save_only(void **state)
{
	const struct pmig_setting s[] = { { path_a, NULL, PMIG_SR_REQUIRED } };

	(void)state;
	assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);
	assert_string_equal(get_file(path_a), "1\n");
	put_file(path_a, "changed by the test");
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "1");
}

static void test_nested_marks(void **state)
{
	const struct pmig_setting s1[] = { { path_a, "2", PMIG_SR_REQUIRED } };
	const struct pmig_setting s2[] = {
		{ path_a, "3", PMIG_SR_REQUIRED },
		{ path_b, "bar", PMIG_SR_REQUIRED },
	};
	const struct pmig_setting s3[] = { { path_a, "4", PMIG_SR_REQUIRED } };
	size_t m1, m2, m3;

	(void)state;
	assert_int_equal(pmig_settings_apply(s1, ARRAY_SIZE(s1), &m1), 0);
	assert_int_equal(pmig_settings_apply(s2, ARRAY_SIZE(s2), &m2), 0);
	assert_int_equal(pmig_settings_apply(s3, ARRAY_SIZE(s3), &m3), 0);
	assert_true(m1 < m2 && m2 < m3);
	assert_string_equal(get_file(path_a), "4");

	pmig_settings_restore_to(m3);
	assert_string_equal(get_file(path_a), "3");
	assert_string_equal(get_file(path_b), "bar");
	pmig_settings_restore_to(m2);
	assert_string_equal(get_file(path_a), "2");
	assert_string_equal(get_file(path_b), "foo");
	pmig_settings_restore_to(m1);
	assert_string_equal(get_file(path_a), "1");
}

/* A scope keeps the first change's mark: a failed apply leaves it out, restore undoes the rest once. */
static void test_scope(void **state)
{
	const struct pmig_setting outer[] = { { path_a, "2",
						PMIG_SR_REQUIRED } };
	struct pmig_settings_scope scope = { 0 };
	size_t m;

	(void)state;
	assert_int_equal(pmig_settings_apply(outer, 1, &m), 0);
	pmig_settings_scope_restore(&scope);
	assert_string_equal(get_file(path_a), "2");
	assert_int_equal(pmig_settings_scope_apply(&scope, path_missing, "x"),
			 -ENOENT);
	assert_false(scope.changed);
	assert_int_equal(pmig_settings_scope_apply(&scope, path_a, "3"), 0);
	assert_int_equal(pmig_settings_scope_apply(&scope, path_b, "bar"), 0);
	assert_true(scope.changed);
	assert_int_equal(scope.mark, m + 1);
	pmig_settings_scope_restore(&scope);
	assert_false(scope.changed);
	assert_string_equal(get_file(path_a), "2");
	assert_string_equal(get_file(path_b), "foo");
	pmig_settings_restore_to(m);
	assert_string_equal(get_file(path_a), "1");
}

static void test_thp_bracketed(void **state)
{
	const struct pmig_setting s[] = {
		{ path_a, "never", PMIG_SR_REQUIRED },
		{ path_b, NULL, PMIG_SR_REQUIRED },
	};

	(void)state;
	put_file(path_a, "always [madvise] never\n");
	put_file(path_b, "always defer defer+madvise [madvise] never\n");
	assert_int_equal(pmig_settings_apply(s, ARRAY_SIZE(s), NULL), 0);
	assert_string_equal(get_file(path_a), "never");
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "madvise");
	assert_string_equal(get_file(path_b), "madvise");
}

/* Brackets that do not mark one word of a word list are plain content. */
static void test_brackets_not_a_selection(void **state)
{
	static const char *const contents[] = {
		"[a] [b]", "x[y]z", "a [] b", "a  [b]", "[b] ", "a [b",
	};
	const struct pmig_setting s[] = { { path_a, "v", PMIG_SR_REQUIRED } };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(contents); i++) {
		put_file(path_a, contents[i]);
		assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);
		assert_string_equal(get_file(path_a), "v");
		pmig_settings_restore_all();
		assert_string_equal(get_file(path_a), contents[i]);
	}
	put_file(path_a, "[only]\n");
	assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "only");
}

static void test_required_missing_undoes_call(void **state)
{
	const struct pmig_setting before[] = { { path_b, "bar",
						 PMIG_SR_REQUIRED } };
	const struct pmig_setting s[] = {
		{ path_a, "2", PMIG_SR_REQUIRED },
		{ path_missing, "x", PMIG_SR_REQUIRED },
		{ path_b, "baz", PMIG_SR_REQUIRED },
	};
	size_t m0, mark;

	(void)state;
	assert_int_equal(pmig_settings_apply(before, 1, &m0), 0);
	assert_int_equal(pmig_settings_apply(s, ARRAY_SIZE(s), &mark), -ENOENT);
	assert_int_equal(mark, m0 + 1);
	assert_string_equal(get_file(path_a), "1");
	assert_false(exists(path_missing));
	/* An earlier call's change is not this call's to undo. */
	assert_string_equal(get_file(path_b), "bar");
	pmig_settings_restore_to(m0);
	assert_string_equal(get_file(path_b), "foo");
	assert_int_equal(pmig_settings_restore_failures(), failures_before);
}

static void test_required_unwritable_undoes_call(void **state)
{
	/* Readable but never writable, even by root. */
	const char *ro = "/proc/sys/kernel/osrelease";
	const struct pmig_setting s[] = {
		{ path_a, "2", PMIG_SR_REQUIRED },
		{ ro, "9.9.9", PMIG_SR_REQUIRED },
	};
	int ret;

	(void)state;
	if (access(ro, R_OK))
		skip();
	ret = pmig_settings_apply(s, ARRAY_SIZE(s), NULL);
	assert_true(ret == -EACCES || ret == -EROFS || ret == -EPERM);
	assert_string_equal(get_file(path_a), "1");
	pmig_settings_restore_all();
	/* The unopened file was never changed, so its restore is no failure. */
	assert_int_equal(pmig_settings_restore_failures(), failures_before);
}

static void test_optional_skipped(void **state)
{
	const char *ro = "/proc/sys/kernel/osrelease";
	char dir[PATH_MAX];
	const struct pmig_setting s[] = {
		{ path_missing, "x", PMIG_SR_OPTIONAL },
		{ dir, "x", PMIG_SR_OPTIONAL },
		{ ro, "9.9.9", PMIG_SR_OPTIONAL },
		{ path_a, "2", PMIG_SR_REQUIRED },
	};
	size_t mark;

	(void)state;
	make_path(dir, "subdir");
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(pmig_settings_apply(s, ARRAY_SIZE(s), &mark), 0);
	assert_false(exists(path_missing));
	assert_string_equal(get_file(path_a), "2");
	pmig_settings_restore_to(mark);
	assert_string_equal(get_file(path_a), "1");
	assert_false(exists(path_missing));
	assert_int_equal(pmig_settings_restore_failures(), failures_before);
	assert_int_equal(rmdir(dir), 0);
}

static void test_overflow(void **state)
{
	char big[301];
	const struct pmig_setting req[] = {
		{ path_b, "bar", PMIG_SR_REQUIRED },
		{ path_a, "2", PMIG_SR_REQUIRED },
	};
	const struct pmig_setting opt[] = {
		{ path_a, "2", PMIG_SR_OPTIONAL },
		{ path_b, "bar", PMIG_SR_REQUIRED },
	};

	(void)state;
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put_file(path_a, big);
	assert_int_equal(pmig_settings_apply(req, ARRAY_SIZE(req), NULL),
			 -EOVERFLOW);
	assert_string_equal(get_file(path_a), big);
	assert_string_equal(get_file(path_b), "foo");

	/* Skipped means unchanged: writing a value that cannot be restored would lose the original. */
	assert_int_equal(pmig_settings_apply(opt, ARRAY_SIZE(opt), NULL), 0);
	assert_string_equal(get_file(path_a), big);
	assert_string_equal(get_file(path_b), "bar");
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_b), "foo");
}

static void test_restore_twice(void **state)
{
	const struct pmig_setting s[] = { { path_a, "2", PMIG_SR_REQUIRED } };
	size_t mark;

	(void)state;
	assert_int_equal(pmig_settings_apply(s, 1, &mark), 0);
	pmig_settings_restore_to(mark);
	assert_string_equal(get_file(path_a), "1");
	put_file(path_a, "manual");
	pmig_settings_restore_to(mark);
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "manual");
	assert_int_equal(pmig_settings_restore_failures(), failures_before);
}

static void test_bad_arguments(void **state)
{
	const struct pmig_setting s[] = {
		{ path_a, "2", PMIG_SR_REQUIRED },
		{ NULL, "x", PMIG_SR_OPTIONAL },
	};
	size_t mark = 999;

	(void)state;
	assert_int_equal(pmig_settings_apply(NULL, 1, NULL), -EINVAL);
	assert_int_equal(pmig_settings_apply(s, ARRAY_SIZE(s), &mark), -EINVAL);
	assert_int_equal(mark, 0);
	assert_string_equal(get_file(path_a), "1\n");
	assert_int_equal(pmig_settings_apply(NULL, 0, &mark), 0);
	assert_int_equal(mark, 0);
}

static void test_capacity(void **state)
{
	struct pmig_setting s = { path_a, NULL, PMIG_SR_REQUIRED };
	char val[32], prev[32] = "1\n";
	int ret = 0, i;

	(void)state;
	s.value = val;
	for (i = 0; i < 100000; i++) {
		snprintf(val, sizeof(val), "v%d", i);
		ret = pmig_settings_apply(&s, 1, NULL);
		if (ret)
			break;
		assert_string_equal(get_file(path_a), val);
		strcpy(prev, val);
	}
	assert_int_equal(ret, -ENOSPC);
	assert_true(i > 0);
	/* The refused call changed nothing. */
	assert_string_equal(get_file(path_a), prev);
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "1");

	/* A call that overflows part-way undoes its own first entries. */
	{
		struct pmig_setting two[] = {
			{ path_b, "bar", PMIG_SR_REQUIRED },
			{ path_a, "2", PMIG_SR_OPTIONAL },
		};
		int j;

		s.value = NULL;
		for (j = 0; j < i - 1; j++)
			assert_int_equal(pmig_settings_apply(&s, 1, NULL), 0);
		assert_int_equal(pmig_settings_apply(two, 2, NULL), -ENOSPC);
		assert_string_equal(get_file(path_b), "foo");
		pmig_settings_restore_all();
	}
	assert_int_equal(pmig_settings_restore_failures(), failures_before);
}

static void test_restore_failure_counted(void **state)
{
	char dir[PATH_MAX], f[PATH_MAX];
	const struct pmig_setting s[] = { { f, "2", PMIG_SR_REQUIRED } };

	(void)state;
	make_path(dir, "gone");
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_true(snprintf(f, sizeof(f), "%s/f", dir) < (int)sizeof(f));
	put_file(f, "1");
	assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);
	assert_int_equal(unlink(f), 0);
	assert_int_equal(rmdir(dir), 0);
	pmig_settings_restore_all();
	assert_int_equal(pmig_settings_restore_failures(), failures_before + 1);
	/* The failed entry is dropped all the same: no second try, no second count. */
	pmig_settings_restore_all();
	assert_int_equal(pmig_settings_restore_failures(), failures_before + 1);
	assert_false(exists(f));
}

static pid_t fork_flushed(void)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	return pid;
}

static int wait_for(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

/* A child inherits the table and the hooks; its exit or death must leave the parent's settings alone. */
static void test_child_does_not_restore_parent(void **state)
{
	const struct pmig_setting s[] = { { path_a, "2", PMIG_SR_REQUIRED } };
	pid_t pid;
	int st;

	(void)state;
	assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);

	pid = fork_flushed();
	if (pid == 0) {
		pmig_settings_restore_all();
		exit(0);
	}
	st = wait_for(pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_string_equal(get_file(path_a), "2");

	pid = fork_flushed();
	if (pid == 0) {
		raise(SIGTERM);
		_exit(3);
	}
	st = wait_for(pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	assert_string_equal(get_file(path_a), "2");

	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "1");
}

/* Child exit codes: 10 apply failed, 11 the value was not written, 12 the signal did not kill. */
static void child_apply(const char *value)
{
	const struct pmig_setting s[] = { { path_b, value, PMIG_SR_REQUIRED } };
	int fd;
	char buf[64];
	ssize_t r;

	if (pmig_settings_apply(s, 1, NULL))
		_exit(10);
	fd = open(path_b, O_RDONLY);
	r = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (r != (ssize_t)strlen(value) || memcmp(buf, value, (size_t)r))
		_exit(11);
	close(fd);
}

static void test_signal_restores(void **state)
{
	const struct pmig_setting s[] = { { path_a, "2", PMIG_SR_REQUIRED } };
	int mode;

	(void)state;
	assert_int_equal(pmig_settings_apply(s, 1, NULL), 0);
	for (mode = 0; mode < 2; mode++) {
		int pfd[2];
		pid_t pid;
		char c;
		int st;

		assert_int_equal(pipe(pfd), 0);
		pid = fork_flushed();
		if (pid == 0) {
			close(pfd[0]);
			child_apply("child");
			if (mode == 0) {
				raise(SIGTERM);
			} else {
				if (write(pfd[1], "r", 1) != 1)
					_exit(13);
				pause();
			}
			_exit(12);
		}
		close(pfd[1]);
		if (mode == 1) {
			assert_int_equal(read(pfd[0], &c, 1), 1);
			assert_int_equal(kill(pid, SIGTERM), 0);
		}
		close(pfd[0]);
		st = wait_for(pid);
		if (WIFEXITED(st))
			fail_msg("mode %d: child exited with %d", mode,
				 WEXITSTATUS(st));
		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), SIGTERM);
		assert_string_equal(get_file(path_b), "foo");
		assert_string_equal(get_file(path_a), "2");
		put_file(path_b, "foo\n");
	}
	pmig_settings_restore_all();
	assert_string_equal(get_file(path_a), "1");
}

static void test_exit_restores(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	pid = fork_flushed();
	if (pid == 0) {
		child_apply("child");
		exit(0);
	}
	st = wait_for(pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_string_equal(get_file(path_b), "foo");
}

/* Exit callbacks append "<id>.<sig>\n" to path_missing, with async-signal-safe calls only. */
static void exit_note(char id, int sig)
{
	char buf[16];
	size_t n = 0;
	int fd = open(path_missing, O_WRONLY | O_CREAT | O_APPEND, 0644);

	buf[n++] = id;
	buf[n++] = '.';
	if (sig >= 10)
		buf[n++] = (char)('0' + sig / 10);
	buf[n++] = (char)('0' + sig % 10);
	buf[n++] = '\n';
	if (fd >= 0) {
		if (write(fd, buf, n) != (ssize_t)n)
			_exit(20);
		close(fd);
	}
}

static void exit_fn1(int sig)
{
	exit_note('1', sig);
}

static void exit_fn2(int sig)
{
	exit_note('2', sig);
}

/*
 * Callbacks run once, newest first, at exit with 0 and from a hooked
 * signal with its number, and never in a forked child of the registrant.
 * Registered in children only, so this test process keeps none.
 */
static void test_on_exit(void **state)
{
	int mode;

	(void)state;
	for (mode = 0; mode < 3; mode++) {
		pid_t pid;
		int st;

		unlink(path_missing);
		pid = fork_flushed();
		if (pid == 0) {
			if (pmig_settings_on_exit(exit_fn1) ||
			    pmig_settings_on_exit(exit_fn2))
				_exit(10);
			if (mode == 1)
				raise(SIGTERM);
			if (mode == 2) {
				pid_t child = fork();

				/* The grandchild exits normally and must run nothing. */
				if (child == 0)
					exit(0);
				if (child < 0 ||
				    waitpid(child, &st, 0) != child)
					_exit(11);
				if (exists(path_missing))
					_exit(12);
			}
			exit(0);
		}
		st = wait_for(pid);
		if (mode == 1) {
			assert_true(WIFSIGNALED(st));
			assert_int_equal(WTERMSIG(st), SIGTERM);
			assert_string_equal(get_file(path_missing),
					    "2.15\n1.15\n");
		} else {
			assert_true(WIFEXITED(st));
			assert_int_equal(WEXITSTATUS(st), 0);
			assert_string_equal(get_file(path_missing),
					    "2.0\n1.0\n");
		}
	}
	unlink(path_missing);
	assert_int_equal(pmig_settings_on_exit(NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* Must stay first: it checks the process before any apply. */
		cmocka_unit_test_setup_teardown(
			test_hooks_installed_on_first_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_then_restore_to,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nested_marks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thp_bracketed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_brackets_not_a_selection,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_required_missing_undoes_call, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_required_unwritable_undoes_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_optional_skipped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_twice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_child_does_not_restore_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_restores, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_restores, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restore_failure_counted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_exit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
