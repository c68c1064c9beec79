/* test_bench_swapdev.c - tests of the benchmark swap setup on the live system: what it makes, it removes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "swapdev.h"

#define MIB (1024UL * 1024)
#define EXTRA (64 * MIB)

/*
 * What must look the same after a teardown: the active swap devices (not
 * their Used column, which moves) and every zram device with its disksize.
 */
static void snapshot(char *buf, size_t len)
{
	char line[512], name[256], path[300];
	size_t n = 0;
	FILE *f = fopen("/proc/swaps", "re");
	DIR *d;
	struct dirent *de;

	buf[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s", name) == 1 && n < len)
			n += (size_t)snprintf(buf + n, len - n, "swap %s\n",
					      name);
	fclose(f);
	d = opendir("/sys/block");
	assert_non_null(d);
	/* readdir order is stable for an unchanged directory. */
	while ((de = readdir(d))) {
		unsigned long long size = 0;

		if (strncmp(de->d_name, "zram", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/disksize",
			 de->d_name);
		f = fopen(path, "re");
		if (f) {
			if (fscanf(f, "%llu", &size) != 1)
				size = 0;
			fclose(f);
		}
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s %llu\n",
					      de->d_name, size);
	}
	closedir(d);
	assert_true(n < len);
}

static size_t free_swap_bytes(void)
{
	char line[512], name[256], type[32];
	unsigned long long size, used, kib = 0;
	FILE *f = fopen("/proc/swaps", "re");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %31s %llu %llu", name, type, &size,
			   &used) == 4 &&
		    size > used)
			kib += size - used;
	fclose(f);
	return (size_t)kib * 1024;
}

/* More than is free now, so pmig_swap_ensure() has to set up zram; skips where it cannot. */
static size_t need_new_swap(void)
{
	size_t need = free_swap_bytes() + EXTRA;
	char why[256];
	int r;

	if (geteuid() != 0) {
		assert_int_equal(pmig_swap_ensure(need, why, sizeof(why)),
				 -EPERM);
		print_message("# not root: %s\n", why);
		skip();
	}
	r = pmig_swap_ensure(need, why, sizeof(why));
	if (r == -ENODEV) {
		print_message("# no zram here: %s\n", why);
		skip();
	}
	if (r)
		fail_msg("pmig_swap_ensure: %d: %s", r, why);
	print_message("# %s\n", why);
	assert_non_null(strstr(why, "/dev/zram"));
	pmig_swap_teardown();
	return need;
}

static void test_zero(void **state)
{
	char why[128];

	(void)state;
	assert_int_equal(pmig_swap_ensure(0, why, sizeof(why)), -EINVAL);
	assert_true(why[0] != '\0');
}

/* Swap already there is reported and left alone, whatever is active. */
static void test_existing(void **state)
{
	char before[4096], after[4096], why[256];
	size_t free_now = free_swap_bytes();

	(void)state;
	if (free_now < 4096) {
		print_message("# no free swap to report\n");
		skip();
	}
	snapshot(before, sizeof(before));
	assert_int_equal(pmig_swap_ensure(4096, why, sizeof(why)), 0);
	print_message("# %s\n", why);
	assert_non_null(strstr(why, "already active"));
	pmig_swap_teardown();
	snapshot(after, sizeof(after));
	assert_string_equal(before, after);
}

/* Set up, reported as enough by a second call, torn down to exactly what was there. */
static void test_zram_setup_and_teardown(void **state)
{
	char before[4096], during[4096], after[4096], why[256];
	size_t need;

	(void)state;
	snapshot(before, sizeof(before));
	need = need_new_swap();
	snapshot(after, sizeof(after));
	assert_string_equal(before, after);

	assert_int_equal(pmig_swap_ensure(need, why, sizeof(why)), 0);
	assert_true(free_swap_bytes() >= need);
	snapshot(during, sizeof(during));
	assert_string_not_equal(before, during);
	assert_int_equal(pmig_swap_ensure(need, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "already active"));
	pmig_swap_teardown();
	pmig_swap_teardown(); /* a second teardown has nothing left to do */
	snapshot(after, sizeof(after));
	assert_string_equal(before, after);
}

/*
 * The teardown runs on exit() and on SIGTERM in the process that set up the
 * swap, and not in a child it forked (mode 2: the child exits while the
 * swap must stay, which the parent checks through a second pipe message).
 */
static void test_exit_paths(void **state)
{
	char before[4096], after[4096];
	size_t need;
	int mode;

	(void)state;
	snapshot(before, sizeof(before));
	need = need_new_swap();
	for (mode = 0; mode < 3; mode++) {
		int pfd[2], st;
		char c = 0;
		pid_t pid;

		assert_int_equal(pipe(pfd), 0);
		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			char why[256];

			close(pfd[0]);
			if (pmig_swap_ensure(need, why, sizeof(why)))
				_exit(10);
			if (mode == 2) {
				pid_t g = fork();

				if (g == 0)
					exit(0);
				if (g < 0 || waitpid(g, &st, 0) != g)
					_exit(11);
				/* Still there after the grandchild's exit? */
				c = free_swap_bytes() >= need ? 'y' : 'n';
			} else {
				c = 'r';
			}
			if (write(pfd[1], &c, 1) != 1)
				_exit(12);
			if (mode == 1)
				pause();
			exit(0);
		}
		close(pfd[1]);
		assert_int_equal(read(pfd[0], &c, 1), 1);
		close(pfd[0]);
		if (mode == 1)
			assert_int_equal(kill(pid, SIGTERM), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (mode == 1) {
			assert_true(WIFSIGNALED(st));
			assert_int_equal(WTERMSIG(st), SIGTERM);
		} else {
			assert_true(WIFEXITED(st));
			assert_int_equal(WEXITSTATUS(st), 0);
		}
		if (mode == 2)
			assert_int_equal(c, 'y');
		snapshot(after, sizeof(after));
		assert_string_equal(before, after);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero),
		cmocka_unit_test(test_existing),
		cmocka_unit_test(test_zram_setup_and_teardown),
		cmocka_unit_test(test_exit_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
