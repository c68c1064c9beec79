/* timer.c - the timing process: a case's body in a child forked on the pinned CPUs; its shim calls as messages on a socket to the parent. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "shim_state.h"
#include "timer.h"

enum msg_type {
	MSG_SAMPLES, /* u64[]: timed calls of the current iteration */
	MSG_NEXT, /* none; the parent answers one byte, 1 = go on */
	MSG_WORK, /* u64 bytes, u64 items */
	MSG_COUNTER, /* double, u32 flags, name */
	MSG_NOTE_NUM, /* double, key */
	MSG_NOTE_TEXT, /* key NUL text */
	MSG_SERIES, /* double, name */
	MSG_FAILED, /* message */
	MSG_UNAVAILABLE, /* message */
};

struct msg_head {
	uint32_t type;
	uint32_t len; /* payload bytes */
};

#define MAX_PAYLOAD 4096
#define SAMPLES_PER_MSG (MAX_PAYLOAD / sizeof(uint64_t))

struct pmig_timer_link {
	int fd;
	uint64_t samples[SAMPLES_PER_MSG]; /* held until the iteration ends */
	size_t nsamples;
	bool broken; /* the parent is gone: the child stops */
};

/* All of @len bytes through @fd, or -1: a socket may move less per call. */
static int transfer_all(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	return transfer_all(fd, (void *)buf, len, true);
}

static int read_all(int fd, void *buf, size_t len)
{
	return transfer_all(fd, buf, len, false);
}

static void send_raw(struct pmig_timer_link *l, enum msg_type type,
		     const void *payload, size_t len)
{
	struct msg_head h = { .type = type, .len = (uint32_t)len };

	if (l->broken || write_all(l->fd, &h, sizeof(h)) ||
	    write_all(l->fd, payload, len))
		l->broken = true;
}

static void flush_samples(struct pmig_timer_link *l)
{
	if (l->nsamples)
		send_raw(l, MSG_SAMPLES, l->samples,
			 l->nsamples * sizeof(l->samples[0]));
	l->nsamples = 0;
}

/* Every other message keeps its place after the samples taken before it. */
static void send_msg(struct pmig_timer_link *l, enum msg_type type,
		     const void *payload, size_t len)
{
	flush_samples(l);
	send_raw(l, type, payload, len);
}

/* A number and a NUL-terminated name (or key NUL text) as one payload. */
static void send_named(struct pmig_timer_link *l, enum msg_type type,
		       const void *head, size_t head_len, const char *a,
		       const char *b)
{
	char buf[MAX_PAYLOAD];
	size_t n = head_len;

	memcpy(buf, head, head_len);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", a) + 1;
	if (b && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", b) + 1;
	send_msg(l, type, buf, n < sizeof(buf) ? n : sizeof(buf));
}

bool pmig_timer_next(struct pmig_bench_state *st)
{
	struct pmig_timer_link *l = st->link;
	char go = 0;

	/* Even after a failure here: the parent ends the iteration, as in place. */
	if (st->done)
		return false;
	send_msg(l, MSG_NEXT, NULL, 0);
	if (l->broken || read_all(l->fd, &go, 1)) {
		l->broken = true;
		go = 0;
	}
	if (!go) {
		st->done = true;
		return false;
	}
	st->iter++;
	return true;
}

void pmig_timer_sample(struct pmig_bench_state *st, uint64_t ns)
{
	struct pmig_timer_link *l = st->link;

	if (l->nsamples == SAMPLES_PER_MSG)
		flush_samples(l);
	l->samples[l->nsamples++] = ns;
}

void pmig_timer_set_work(struct pmig_bench_state *st, uint64_t bytes,
			 uint64_t items)
{
	uint64_t v[2] = { bytes, items };

	send_msg(st->link, MSG_WORK, v, sizeof(v));
}

void pmig_timer_counter(struct pmig_bench_state *st, const char *name,
			double value, enum pmig_counter_flags flags)
{
	uint32_t f = (uint32_t)flags;
	char head[sizeof(value) +
		  sizeof(f)]; /* as apply() reads it: no padding */

	memcpy(head, &value, sizeof(value));
	memcpy(head + sizeof(value), &f, sizeof(f));
	send_named(st->link, MSG_COUNTER, head, sizeof(head), name, NULL);
}

void pmig_timer_note(struct pmig_bench_state *st, const char *key,
		     const char *text, double num)
{
	if (text)
		send_named(st->link, MSG_NOTE_TEXT, NULL, 0, key, text);
	else
		send_named(st->link, MSG_NOTE_NUM, &num, sizeof(num), key,
			   NULL);
}

void pmig_timer_series_add(struct pmig_bench_state *st, const char *name,
			   double value)
{
	send_named(st->link, MSG_SERIES, &value, sizeof(value), name, NULL);
}

void pmig_timer_end(struct pmig_bench_state *st, enum pmig_run_status status,
		    const char *msg)
{
	send_named(st->link,
		   status == PMIG_RUN_UNAVAILABLE ? MSG_UNAVAILABLE :
						    MSG_FAILED,
		   NULL, 0, msg, NULL);
}

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
		return write_all(fd, &go, 1);
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
	static char payload[MAX_PAYLOAD + 1];
	struct msg_head h;

	while (!read_all(fd, &h, sizeof(h))) {
		if (h.len > MAX_PAYLOAD) {
			pmig_bench_fail(
				st, "timing process: message %u of %u bytes",
				h.type, h.len);
			return false;
		}
		if (read_all(fd, payload, h.len))
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

int pmig_timer_run(struct pmig_bench_state *st,
		   void (*body)(struct pmig_bench_state *st, void *arg),
		   void *arg)
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
		static struct pmig_timer_link link;

		close(sv[0]);
		link.fd = sv[1];
		st->link = &link;
		body(st, arg);
		flush_samples(&link);
		/* Not exit(): the parent's atexit work (restores, journal) is the parent's. */
		_exit(link.broken ? 1 : 0);
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
