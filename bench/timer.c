/* timer.c - the timing process, the parent's side: a case's body in a child forked on the pinned CPUs, its shim calls (messages on a socket) made on the real run. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "shim_state.h"
#include "timer.h"
#include "timer_link.h"
#include "timer_proto.h"

/* The parent's side: one message made on the real state. -1 on a malformed one. */
static int apply(struct pmig_bench_state *st, int fd, uint32_t type, char *p,
		 size_t len)
{
	double num;
	uint32_t flags;
	char go;

	p[len] = '\0'; /* names and texts end here at the latest */
	switch (type) {
	case MSG_SAMPLES:
		for (size_t i = 0; i + sizeof(uint64_t) <= len;
		     i += sizeof(uint64_t)) {
			uint64_t ns;

			memcpy(&ns, p + i, sizeof(ns));
			pmig_bench_sample(st, ns);
		}
		return 0;
	case MSG_NEXT:
		go = pmig_bench_next(st) ? 1 : 0;
		return pmig_timer_write_all(fd, &go, 1);
	case MSG_WORK: {
		uint64_t v[2];

		if (len != sizeof(v))
			return -1;
		memcpy(v, p, sizeof(v));
		pmig_bench_set_work(st, v[0], v[1]);
		return 0;
	}
	case MSG_COUNTER:
		if (len <= sizeof(num) + sizeof(flags))
			return -1;
		memcpy(&num, p, sizeof(num));
		memcpy(&flags, p + sizeof(num), sizeof(flags));
		pmig_bench_counter(st, p + sizeof(num) + sizeof(flags), num,
				   (enum pmig_counter_flags)flags);
		return 0;
	case MSG_NOTE_NUM:
	case MSG_SERIES:
		if (len <= sizeof(num))
			return -1;
		memcpy(&num, p, sizeof(num));
		if (type == MSG_SERIES)
			pmig_bench_series_add(st, p + sizeof(num), num);
		else
			pmig_bench_note_num(st, p + sizeof(num), num);
		return 0;
	case MSG_NOTE_TEXT:
		pmig_bench_note_text(st, p, p + strnlen(p, len) + 1);
		return 0;
	case MSG_FAILED:
		pmig_bench_fail(st, "%s", p);
		return 0;
	case MSG_UNAVAILABLE:
		pmig_bench_unavailable(st, "%s", p);
		return 0;
	}
	return -1;
}

/* Until the child closes its end. false: a message came cut short (the child died mid-write, or wrote garbage). */
static bool serve(struct pmig_bench_state *st, int fd)
{
	static char payload[PMIG_TIMER_MAX_PAYLOAD + 1];
	struct pmig_timer_head h;

	while (!pmig_timer_read_all(fd, &h, sizeof(h))) {
		if (h.len > PMIG_TIMER_MAX_PAYLOAD) {
			pmig_bench_fail(
				st, "timing process: message %u of %u bytes",
				h.type, h.len);
			return false;
		}
		if (pmig_timer_read_all(fd, payload, h.len))
			return false;
		if (apply(st, fd, h.type, payload, h.len)) {
			pmig_bench_fail(st,
					"timing process: message %u unreadable",
					h.type);
			return false;
		}
	}
	return true;
}

/*
 * The child's end. One that died may have left settings changed (THP mode,
 * hugetlb pool): its journal records say which, and this process puts them
 * back, as its own exit would not (bench/README.md, The timing process).
 */
static void end_of_child(struct pmig_bench_state *st, pid_t pid, bool whole)
{
	char said[512];
	int status, n;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			pmig_bench_fail(st, "timing process: waitpid: %s",
					strerror(errno));
			return;
		}
	if (WIFSIGNALED(status))
		pmig_bench_fail(st, "timing process killed by signal %d (%s)",
				WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status))
		pmig_bench_fail(st, "timing process exited with %d",
				WEXITSTATUS(status));
	else if (!whole)
		pmig_bench_fail(st, "timing process: a message cut short");
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return;
	n = pmig_journal_undo_child(pid, said, sizeof(said));
	if (n)
		fprintf(stderr,
			"pmig bench: %s what the timing process left changed: %s\n",
			n > 0 ? "put back" : "could not put back all of", said);
}

/* The child's part of pmig_timer_run(): its body, on the link. */
struct in_process {
	void (*body)(struct pmig_bench_state *st, void *arg);
	void *arg;
};

static void run_body(struct pmig_bench_state *st, int fd, const void *what)
{
	const struct in_process *p = what;

	pmig_timer_attach(st, fd);
	p->body(st, p->arg);
	/* Not exit(): the parent's atexit work (restores, journal) is the parent's. */
	_exit(pmig_timer_detach(st));
}

/* The child's part of pmig_timer_exec(): the program, given the link and the journal. */
static void run_program(struct pmig_bench_state *st, int fd, const void *what)
{
	char *const *args = what;
	char link_fd[16], journal_fd[16];
	char *argv[64];
	int n = 0, link = dup(fd), journal = pmig_journal_share();

	snprintf(link_fd, sizeof(link_fd), "%d", link);
	snprintf(journal_fd, sizeof(journal_fd), "%d", journal);
	argv[n++] = args[0];
	argv[n++] = link_fd;
	argv[n++] = journal_fd;
	for (int i = 1; args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	/*
	 * The same addresses every time: where the kernel would put the stack,
	 * the heap and the vDSO at random decides how many page-table pages a
	 * walk of this address space visits (migrate_pages(2) walks it all).
	 */
	personality(ADDR_NO_RANDOMIZE);
	if (link >= 0)
		execv(args[0], argv);
	pmig_timer_attach(st, fd);
	pmig_bench_fail(st, "cannot start the timing program %s: %s", args[0],
			strerror(errno));
	_exit(pmig_timer_detach(st));
}

static int start(struct pmig_bench_state *st,
		 void (*child)(struct pmig_bench_state *st, int fd,
			       const void *what),
		 const void *what)
{
	int sv[2], err;
	bool whole;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		err = errno;
		pmig_bench_fail(st, "timing process: socketpair: %s",
				strerror(err));
		return -err;
	}
	fflush(NULL); /* what this process buffered is written once */
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(sv[0]);
		close(sv[1]);
		pmig_bench_fail(st, "timing process: fork: %s", strerror(err));
		return -err;
	}
	if (pid == 0) {
		close(sv[0]);
		child(st, sv[1], what); /* does not return */
	}
	close(sv[1]);
	whole = serve(st, sv[0]);
	/* A child the parent stopped listening to. */
	if (!whole || pmig_bench_failed(st))
		kill(pid, SIGKILL);
	close(sv[0]);
	end_of_child(st, pid, whole);
	return 0;
}

int pmig_timer_run(struct pmig_bench_state *st,
		   void (*body)(struct pmig_bench_state *st, void *arg),
		   void *arg)
{
	struct in_process p = { body, arg };

	return start(st, run_body, &p);
}

int pmig_timer_exec(struct pmig_bench_state *st, char *const args[])
{
	return start(st, run_program, args);
}
