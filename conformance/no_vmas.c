/* no_vmas.c - conformance case for migrate_pages(2) on a process whose mm has no VMA left (CVE-2024-56611). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"

/*
 * The end of the highest mapping the child can unmap: the gate area
 * ([vsyscall] on x86-64) is no VMA of the mm and lies above TASK_SIZE.
 */
static unsigned long mappings_end(void)
{
	unsigned long start, end, top = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    !strstr(line, "[vsyscall]") && end > top)
			top = end;
	fclose(f);
	return top;
}

/*
 * Why the child could not be traced: PTRACE_TRACEME's errno and the tracer
 * it already had (a tracer that follows forks, such as strace -f under
 * pmig vm --wrap, takes every child first, and a process has one tracer).
 */
struct untraced {
	int err;
	int tracer; /* TracerPid of /proc/self/status, 0 for none */
	char comm[32]; /* the tracer's name */
};

static void tracer_of_self(struct untraced *u)
{
	char line[128], path[64];
	FILE *f = fopen("/proc/self/status", "r");

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "TracerPid: %d", &u->tracer) == 1)
				break;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", u->tracer);
	f = u->tracer > 0 ? fopen(path, "r") : NULL;
	if (f) {
		if (fgets(u->comm, sizeof(u->comm), f))
			u->comm[strcspn(u->comm, "\n")] = '\0';
		fclose(f);
	}
}

/*
 * The child: traced, stopped, then one munmap of everything below the top
 * of its mappings. It never runs user code again (its code is gone): the
 * parent holds it at the munmap's syscall-exit-stop and kills it there.
 * When it cannot be traced, it says why on @why and exits.
 */
static _Noreturn void child(int why)
{
	unsigned long end = mappings_end();
	struct untraced u = { 0 };

	if (!end)
		_exit(1);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL)) {
		u.err = errno;
		tracer_of_self(&u);
		_exit(write(why, &u, sizeof(u)) == sizeof(u) ? 1 : 2);
	}
	close(why);
	raise(SIGSTOP);
	syscall(SYS_munmap, 0UL, end);
	_exit(2);
}

/* The child ended instead of stopping: a SKIP when another tracer had it, else ERROR. */
static _Noreturn void not_stopped(int why, int st)
{
	struct untraced u;

	if (read(why, &u, sizeof(u)) == sizeof(u)) {
		if (u.tracer > 0)
			pmig_skip(
				"the case ptraces its child, which process %d (%s) already traces (a tracer that follows forks, as strace -f under pmig vm --wrap): PTRACE_TRACEME: %s",
				u.tracer, u.comm[0] ? u.comm : "?",
				strerror(u.err));
		pmig_broken("the child cannot be traced: PTRACE_TRACEME: %s",
			    strerror(u.err));
	}
	pmig_broken("the child did not stop (wait status %#x)", st);
}

/* Runs @pid to the exit of its munmap; returns that call's return value. */
static long to_munmap_exit(pid_t pid)
{
	struct __ptrace_syscall_info info;
	bool in_munmap = false;
	int st;

	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, PTRACE_O_TRACESYSGOOD))
		pmig_broken("PTRACE_SETOPTIONS: %s", strerror(errno));
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) ||
		    waitpid(pid, &st, 0) != pid)
			pmig_broken("PTRACE_SYSCALL: %s", strerror(errno));
		if (!WIFSTOPPED(st))
			pmig_broken("the child ended (wait status %#x)", st);
		if (WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue;
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) <=
		    0)
			pmig_broken("PTRACE_GET_SYSCALL_INFO: %s",
				    strerror(errno));
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
			in_munmap = info.entry.nr == SYS_munmap;
		else if (info.op == PTRACE_SYSCALL_INFO_EXIT && in_munmap)
			return (long)info.exit.rval;
	}
}

/* /proc/PID/maps as diagnostics; how many of its lines are VMAs of the mm. */
static int diag_maps(pid_t pid)
{
	char path[64], line[512];
	int vmas = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		pmig_broken("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		pmig_diag("%s: %s", path, strtok(line, "\n"));
		vmas += !strstr(line, "[vsyscall]");
	}
	fclose(f);
	pmig_diag("%s: %d VMAs (the gate area [vsyscall] is none)", path, vmas);
	return vmas;
}

/*
 * migrate_pages(@pid, {@from}, {@to}) made by another process, so that a
 * kernel that oopses in the call kills that one, and this case lives to
 * say so. *@ret gets the call's return; false when the caller died in it.
 */
static bool migrate_from_helper(pid_t pid, int from, int to, long *ret)
{
	int fd[2], st;
	pid_t caller;
	ssize_t got;

	if (pipe(fd))
		pmig_broken("pipe: %s", strerror(errno));
	caller = fork();
	if (caller < 0)
		pmig_broken("fork: %s", strerror(errno));
	if (caller == 0) {
		long r = pmig_migrate_one(pid, from, to);

		_exit(write(fd[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fd[1]);
	got = read(fd[0], ret, sizeof(*ret));
	close(fd[0]);
	if (waitpid(caller, &st, 0) != caller)
		pmig_broken("waitpid: %s", strerror(errno));
	if (got == sizeof(*ret))
		return true;
	pmig_fail_at(
		__FILE__, __LINE__,
		"the process calling migrate_pages died in the call (wait status %#x): the kernel killed it",
		st);
	return false;
}

PMIG_CASE(migrate_mm_without_vmas)
{
	int why[2], st = 0;
	pid_t pid;
	long ret;

	if (pipe(why))
		pmig_broken("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		pmig_broken("fork: %s", strerror(errno));
	if (pid == 0) {
		close(why[0]);
		child(why[1]);
	}
	close(why[1]);
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		not_stopped(why[0], st);
	close(why[0]);
	ret = to_munmap_exit(pid);
	if (ret)
		pmig_broken("the child's munmap returned %ld", ret);
	/* Not a case at all unless the mm really has no VMA now. */
	if (diag_maps(pid))
		pmig_broken("the child's mm still has VMAs");
	pmig_diag("migrate_pages(%d, {%d}, {%d}) on that mm", (int)pid,
		  ctx->home, ctx->other);
	if (!migrate_from_helper(pid, ctx->home, ctx->other, &ret))
		/* Its mm's lock may be held for good: killed, not waited for. */
		kill(pid, SIGKILL), pmig_stop();
	pmig_check_eq(ret, ctx->expect);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
