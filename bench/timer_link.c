/* timer_link.c - the timing process's side: a run state whose shim calls are messages to the parent (timer_proto.h), samples held until the iteration ends. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "timer_link.h"
#include "timer_proto.h"

#define SAMPLES_PER_MSG (PMIG_TIMER_MAX_PAYLOAD / sizeof(uint64_t))

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

int pmig_timer_write_all(int fd, const void *buf, size_t len)
{
	return transfer_all(fd, (void *)buf, len, true);
}

int pmig_timer_read_all(int fd, void *buf, size_t len)
{
	return transfer_all(fd, buf, len, false);
}

static void send_raw(struct pmig_timer_link *l, enum pmig_timer_msg type,
		     const void *payload, size_t len)
{
	struct pmig_timer_head h = { .type = type, .len = (uint32_t)len };

	if (l->broken || pmig_timer_write_all(l->fd, &h, sizeof(h)) ||
	    pmig_timer_write_all(l->fd, payload, len))
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
static void send_msg(struct pmig_timer_link *l, enum pmig_timer_msg type,
		     const void *payload, size_t len)
{
	flush_samples(l);
	send_raw(l, type, payload, len);
}

/* A number and a NUL-terminated name (or key NUL text) as one payload. */
static void send_named(struct pmig_timer_link *l, enum pmig_timer_msg type,
		       const void *head, size_t head_len, const char *a,
		       const char *b)
{
	char buf[PMIG_TIMER_MAX_PAYLOAD];
	size_t n = head_len;

	memcpy(buf, head, head_len);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", a) + 1;
	if (b && n < sizeof(buf))
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", b) + 1;
	send_msg(l, type, buf, n < sizeof(buf) ? n : sizeof(buf));
}

static bool link_next(struct pmig_bench_state *st)
{
	struct pmig_timer_link *l = st->link;
	char go = 0;

	/* Even after a failure here: the parent ends the iteration, as in place. */
	if (st->done)
		return false;
	send_msg(l, MSG_NEXT, NULL, 0);
	if (l->broken || pmig_timer_read_all(l->fd, &go, 1)) {
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

static void link_sample(struct pmig_bench_state *st, uint64_t ns)
{
	struct pmig_timer_link *l = st->link;

	if (l->nsamples == SAMPLES_PER_MSG)
		flush_samples(l);
	l->samples[l->nsamples++] = ns;
}

static void link_set_work(struct pmig_bench_state *st, uint64_t bytes,
			  uint64_t items)
{
	uint64_t v[2] = { bytes, items };

	send_msg(st->link, MSG_WORK, v, sizeof(v));
}

static int link_counter(struct pmig_bench_state *st, const char *name,
			double value, enum pmig_counter_flags flags)
{
	uint32_t f = (uint32_t)flags;
	char head[sizeof(value) +
		  sizeof(f)]; /* as apply() reads it: no padding */

	memcpy(head, &value, sizeof(value));
	memcpy(head + sizeof(value), &f, sizeof(f));
	send_named(st->link, MSG_COUNTER, head, sizeof(head), name, NULL);
	return 0;
}

static int link_note(struct pmig_bench_state *st, const char *key,
		     const char *text, double num)
{
	if (text)
		send_named(st->link, MSG_NOTE_TEXT, NULL, 0, key, text);
	else
		send_named(st->link, MSG_NOTE_NUM, &num, sizeof(num), key,
			   NULL);
	return 0;
}

static int link_series_add(struct pmig_bench_state *st, const char *name,
			   double value)
{
	send_named(st->link, MSG_SERIES, &value, sizeof(value), name, NULL);
	return 0;
}

static void link_end(struct pmig_bench_state *st, enum pmig_run_status status,
		     const char *msg)
{
	send_named(st->link,
		   status == PMIG_RUN_UNAVAILABLE ? MSG_UNAVAILABLE :
						    MSG_FAILED,
		   NULL, 0, msg, NULL);
}

static const struct pmig_bench_ops link_ops = {
	.next = link_next,
	.sample = link_sample,
	.set_work = link_set_work,
	.counter = link_counter,
	.note = link_note,
	.series_add = link_series_add,
	.end = link_end,
};

void pmig_timer_attach(struct pmig_bench_state *st, int fd)
{
	static struct pmig_timer_link link;

	link = (struct pmig_timer_link){ .fd = fd };
	st->ops = &link_ops;
	st->link = &link;
}

int pmig_timer_detach(struct pmig_bench_state *st)
{
	flush_samples(st->link);
	return st->link->broken ? 1 : 0;
}
