/* compat32.c - conformance cases for a 32-bit caller of move_pages(2) and migrate_pages(2): the kernel's compat path. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "compat32.h"
#include "fixtures.h"
#include "syscalls.h"

/* The helper's pages, and the entry of its move left unmapped. */
#define COMPAT_PAGES 8
#define COMPAT_HOLE 3
/* What the helper prints for a status the call did not write. */
#define COMPAT_UNWRITTEN (-1000)

/* ctx->arg of compat_move: which entries the row decides. */
#define COMPAT_ARG_HOLE 1
/* ctx->arg of compat_migrate: the helper's mode. */
#define COMPAT_ARG_MASK_END 1

struct helper {
	pid_t pid;
	FILE *out; /* its report */
	int in; /* its stdin: closing it lets it exit */
	long ret;
	unsigned long addr[COMPAT_PAGES];
	int status[COMPAT_PAGES];
	long bad; /* pages whose pattern changed */
};

static _Noreturn void skip_no_program(void)
{
	struct utsname u;

	if (uname(&u))
		pmig_broken("uname: %s", strerror(errno));
	if (!strcmp(u.machine, "ppc64le"))
		pmig_skip(
			"no 32-bit caller on ppc64le: the kernel's COMPAT runs 32-bit big-endian programs only and is off in little-endian kernels (Debian's ppc64le config has CONFIG_COMPAT unset)");
	if (!strcmp(u.machine, "aarch64"))
		pmig_skip(
			"no 32-bit caller on aarch64: pmig's helper is an i386 program for x86-64; an AArch32 one is not written yet");
	pmig_skip(
		"this pmig-conform carries no 32-bit helper: only x86-64 builds embed it (this machine: %s)",
		u.machine);
}

/* The helper as an executable memfd. */
static int helper_fd(void)
{
	const unsigned char *elf;
	size_t len, done = 0;
	int fd;

	if (pmig_compat32_program(&elf, &len))
		skip_no_program();
	fd = memfd_create("pmig-compat32", 0);
	if (fd < 0)
		pmig_broken("memfd_create: %s", strerror(errno));
	while (done < len) {
		ssize_t w = write(fd, elf + done, len - done);

		if (w <= 0)
			pmig_broken("cannot write the 32-bit helper: %s",
				    strerror(errno));
		done += (size_t)w;
	}
	return fd;
}

/* The child: pages on ctx->home through its inherited policy, then the exec. */
static _Noreturn void helper_exec(const struct pmig_ctx *ctx, int fd,
				  char **argv, const int to[2],
				  const int from[2], int err)
{
	struct pmig_nodemask m = pmig_nodemask_of(ctx->home);
	extern char **environ;
	char path[64];
	int e;

	if (pmig_set_mempolicy(MPOL_BIND, m.bits, PMIG_MASK_MAXNODE) ||
	    dup2(to[0], 0) < 0 || dup2(from[1], 1) < 0)
		_exit(126);
	close(to[1]);
	close(from[0]);
	fexecve(fd, argv, environ);
	/* 5.10's execveat(AT_EMPTY_PATH) gave ENOENT for the memfd; its path works. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	execve(path, argv, environ);
	e = errno;
	if (write(err, &e, sizeof(e)) != sizeof(e))
		_exit(126);
	_exit(127);
}

/* Why the exec failed, as a SKIP where the kernel runs no 32-bit program. */
static _Noreturn void exec_failed(int e)
{
	if (e == ENOEXEC)
		pmig_skip(
			"this kernel cannot run a 32-bit (i386) program: execve gives ENOEXEC (a kernel without CONFIG_IA32_EMULATION, or booted with ia32_emulation=0)");
	pmig_broken("cannot run the 32-bit helper: %s", strerror(e));
}

static void helper_read(struct helper *h)
{
	char line[128];
	int i, status;
	unsigned long addr;

	h->ret = LONG_MIN;
	while (fgets(line, sizeof(line), h->out)) {
		if (sscanf(line, "ret %ld", &h->ret) == 1 ||
		    sscanf(line, "data %ld", &h->bad) == 1)
			continue;
		if (sscanf(line, "page %d %lu %d", &i, &addr, &status) == 3 &&
		    i >= 0 && i < COMPAT_PAGES) {
			h->addr[i] = addr;
			h->status[i] = status;
		} else if (!strcmp(line, "end\n") && h->ret != LONG_MIN) {
			return;
		}
	}
	pmig_broken("the 32-bit helper ended without its report");
}

/* Starts the helper in @mode and reads its report; it then waits for helper_stop(). */
static void helper_start(const struct pmig_ctx *ctx, struct helper *h,
			 const char *mode, int hole)
{
	char a_home[16], a_other[16], a_n[16], a_hole[16];
	char *argv[] = { "pmig-compat32", (char *)mode, a_home, a_other, a_n,
			 a_hole,	  NULL };
	int fd = helper_fd(), to[2], from[2], err[2], e;
	ssize_t got;

	snprintf(a_home, sizeof(a_home), "%d", ctx->home);
	snprintf(a_other, sizeof(a_other), "%d", ctx->other);
	snprintf(a_n, sizeof(a_n), "%d", COMPAT_PAGES);
	snprintf(a_hole, sizeof(a_hole), "%d", hole);
	if (pipe2(err, O_CLOEXEC) || pipe2(to, O_CLOEXEC) ||
	    pipe2(from, O_CLOEXEC))
		pmig_broken("pipe: %s", strerror(errno));
	h->pid = fork();
	if (h->pid < 0)
		pmig_broken("fork: %s", strerror(errno));
	if (h->pid == 0)
		helper_exec(ctx, fd, argv, to, from, err[1]);
	close(fd);
	close(err[1]);
	close(to[0]);
	close(from[1]);
	got = read(err[0], &e, sizeof(e));
	close(err[0]);
	if (got == sizeof(e)) {
		waitpid(h->pid, NULL, 0);
		exec_failed(e);
	}
	h->in = to[1];
	h->out = fdopen(from[0], "r");
	if (!h->out)
		pmig_broken("fdopen: %s", strerror(errno));
	helper_read(h);
	pmig_diag(
		"a 32-bit process (pid %d, %s) on node %d, target node %d: the call returned %ld",
		(int)h->pid, mode, ctx->home, ctx->other, h->ret);
}

static void helper_stop(struct helper *h)
{
	int st;

	close(h->in);
	fclose(h->out);
	if (waitpid(h->pid, &st, 0) != h->pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		pmig_broken("the 32-bit helper ended with wait status %#x", st);
}

/*
 * Where page @i of the helper is, asked by this 64-bit process (the native
 * path): a second source beside the statuses the compat call wrote.
 */
static int helper_node(const struct helper *h, int i)
{
	void *addr = (void *)h->addr[i];
	int status = COMPAT_UNWRITTEN;
	long ret = pmig_move_pages(h->pid, 1, &addr, NULL, &status, 0);

	return ret ? (int)ret : status;
}

/* Every page of the helper on @node, and its data intact. */
static void check_helper_pages(const struct helper *h, int node)
{
	char label[64];

	for (int i = 0; i < COMPAT_PAGES; i++) {
		snprintf(label, sizeof(label),
			 "node of the helper's page %d (64-bit query)", i);
		pmig_check_val(label, helper_node(h, i), node);
	}
	pmig_check_val("the helper's pages whose data changed", h->bad, 0);
}

/*
 * A 32-bit move of COMPAT_PAGES pages to ctx->other, entry COMPAT_HOLE
 * unmapped: the written entries' statuses (arg 0) or the hole's
 * (COMPAT_ARG_HOLE) decide the row; a compat pages[] read with the wrong
 * stride or a wrong compat_ptr() conversion would shift both.
 */
PMIG_CASE(compat_move)
{
	struct helper h;
	char label[32];

	helper_start(ctx, &h, "move", COMPAT_HOLE);
	/* A positive count would leave the statuses unwritten. */
	pmig_require_eq(h.ret, 0);
	for (int i = 0; i < COMPAT_PAGES; i++) {
		snprintf(label, sizeof(label), "status[%d]", i);
		if (i == COMPAT_HOLE && ctx->arg == COMPAT_ARG_HOLE)
			pmig_check_val(label, h.status[i], ctx->expect);
		else if (i != COMPAT_HOLE && ctx->arg != COMPAT_ARG_HOLE)
			pmig_check_val(label, h.status[i],
				       pmig_expected(ctx, ctx->other));
		else
			pmig_diag("%s = %d", label, h.status[i]);
	}
	for (int i = 0; i < COMPAT_PAGES; i++)
		if (i != COMPAT_HOLE && h.status[i] >= 0) {
			snprintf(label, sizeof(label),
				 "node of page %d (64-bit query)", i);
			pmig_check_val(label, helper_node(&h, i), h.status[i]);
		}
	pmig_check_val("the helper's pages whose data changed", h.bad, 0);
	helper_stop(&h);
}

/*
 * A 32-bit migrate_pages(0, {home} -> {other}) with node masks of 32-bit
 * words; ctx->arg COMPAT_ARG_MASK_END: new_nodes is one word that ends a
 * page, maxnode 33.
 */
PMIG_CASE(compat_migrate)
{
	struct helper h;

	helper_start(ctx, &h,
		     ctx->arg == COMPAT_ARG_MASK_END ? "mask-end" : "migrate",
		     -1);
	pmig_check_eq(h.ret, ctx->expect);
	/* All moved when it returned 0, none when it failed. */
	if (h.ret == 0)
		check_helper_pages(&h, ctx->other);
	else if (h.ret < 0)
		check_helper_pages(&h, ctx->home);
	helper_stop(&h);
}
