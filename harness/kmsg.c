/* kmsg.c - reads /dev/kmsg and the taint flags around a case and finds what went wrong in the kernel. */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_KMSG "/dev/kmsg"
#define DEFAULT_TAINT "/proc/sys/kernel/tainted"
#define MAX_LINES 16
#define MAX_EXCERPT 4096

int pmig_kmsg_parse(const char *rec, size_t len, struct pmig_kmsg_record *r)
{
	const char *semi = memchr(rec, ';', len);
	unsigned long prio;
	char head[128], *end;
	size_t hlen;

	if (!semi)
		return -EINVAL;
	hlen = (size_t)(semi - rec);
	if (!hlen || hlen >= sizeof(head))
		return -EINVAL;
	memcpy(head, rec, hlen);
	head[hlen] = '\0';
	errno = 0;
	prio = strtoul(head, &end, 10);
	if (errno || end == head || *end != ',')
		return -EINVAL;
	r->seq = strtoull(end + 1, &end, 10);
	if (*end != ',')
		return -EINVAL;
	r->level = (int)(prio & 7);
	r->facility = (int)(prio >> 3);
	r->text = semi + 1;
	/* Key=value lines after the text start with a space; they are left out. */
	r->len = strcspn(r->text, "\n");
	if (r->text + r->len > rec + len)
		r->len = (size_t)(rec + len - r->text);
	return 0;
}

static bool contains(const struct pmig_kmsg_record *r, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= r->len; i++)
		if (!memcmp(r->text + i, word, n))
			return true;
	return false;
}

bool pmig_kmsg_is_problem(const struct pmig_kmsg_record *r)
{
	/*
	 * What the kernel's WARN(), BUG(), die(), lockdep and sanitizers print
	 * first. A call trace alone is no report: an allocation failure (a
	 * case that fills a node asks for one) dumps the stack too.
	 */
	static const char *const words[] = {
		"WARNING:",
		"BUG:",
		"kernel BUG at",
		"Oops",
		"general protection fault",
		"Kernel panic",
		"KASAN",
		"KFENCE",
		"UBSAN",
		"INFO: task",
		"INFO: possible",
		"soft lockup",
		"hard LOCKUP",
		"detected stall",
		"refcount_t:",
	};

	/* The same words in an info message (a driver's name, a path) are no report. */
	if (r->level > 4)
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (contains(r, words[i]))
			return true;
	return false;
}

unsigned pmig_taint_describe(unsigned long before, unsigned long after,
			     char *buf, size_t len)
{
	/* include/linux/panic.h, in bit order. */
	static const char *const names[] = {
		"P (proprietary module)",
		"F (forced module load)",
		"S (CPU out of spec)",
		"R (forced module unload)",
		"M (machine check)",
		"B (bad page)",
		"U (user request)",
		"D (die: oops or BUG)",
		"A (ACPI table overridden)",
		"W (warning)",
		"C (staging driver)",
		"I (firmware workaround)",
		"O (out-of-tree module)",
		"E (unsigned module)",
		"L (soft lockup)",
		"K (live patch)",
		"X (auxiliary)",
		"T (struct randomization)",
		"N (test)",
	};
	unsigned long fresh = after & ~before;
	size_t used = 0;
	unsigned n = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned bit = 0; bit < 8 * sizeof(fresh); bit++) {
		char other[32];
		const char *name = other;

		if (!(fresh & (1UL << bit)))
			continue;
		if (bit < sizeof(names) / sizeof(names[0]))
			name = names[bit];
		else
			snprintf(other, sizeof(other), "bit %u", bit);
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 n ? ", " : "", name);
		n++;
	}
	return n;
}

static bool read_taint(const char *path, unsigned long *out)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%lu", out) == 1;
	fclose(f);
	return ok;
}

int pmig_kmsg_open(struct pmig_kmsg *k, const char *kmsg_path,
		   const char *taint_path)
{
	k->taint_path = taint_path ? taint_path : DEFAULT_TAINT;
	k->taint_ok = read_taint(k->taint_path, &k->taint);
	if (!k->taint_ok)
		k->taint_path = NULL;
	k->fd = open(kmsg_path ? kmsg_path : DEFAULT_KMSG,
		     O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return k->fd < 0 ? -errno : 0;
}

void pmig_kmsg_close(struct pmig_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

/* One record per read(2); -EAGAIN when none is left. */
static ssize_t next_record(int fd, char *buf, size_t len, bool *lost)
{
	for (;;) {
		ssize_t n = read(fd, buf, len - 1);

		if (n >= 0) {
			buf[n] = '\0';
			return n ? n : -EAGAIN;
		}
		if (errno == EINTR)
			continue;
		/* Records overwritten before they were read: the next one follows. */
		if (errno == EPIPE) {
			*lost = true;
			continue;
		}
		return -errno;
	}
}

void pmig_kmsg_mark(struct pmig_kmsg *k)
{
	char buf[8192];
	bool lost;

	if (k->taint_path)
		k->taint_ok = read_taint(k->taint_path, &k->taint);
	if (k->fd < 0)
		return;
	/* Where seeking is not possible (a test's socket), reading does the same. */
	if (lseek(k->fd, 0, SEEK_END) < 0)
		while (next_record(k->fd, buf, sizeof(buf), &lost) > 0)
			;
}

struct text {
	char buf[MAX_EXCERPT];
	size_t used;
	unsigned lines;
};

static void add_line(struct text *t, const char *s, size_t n)
{
	if (t->used + 1 >= sizeof(t->buf))
		return;
	t->used += (size_t)snprintf(t->buf + t->used, sizeof(t->buf) - t->used,
				    "%s%.*s", t->lines ? "\n" : "", (int)n, s);
	if (t->used >= sizeof(t->buf))
		t->used = sizeof(t->buf) - 1;
	t->lines++;
}

char *pmig_kmsg_collect(struct pmig_kmsg *k)
{
	static const char lost_text[] =
		"(some kernel messages were overwritten before pmig read them)";
	struct text t = { .used = 0 };
	char rec[8192], taint[512];
	bool lost = false, started = false;
	unsigned long now;
	ssize_t n;

	while (k->fd >= 0 &&
	       (n = next_record(k->fd, rec, sizeof(rec), &lost)) > 0) {
		struct pmig_kmsg_record r;

		if (pmig_kmsg_parse(rec, (size_t)n, &r))
			continue;
		if (!started)
			started = pmig_kmsg_is_problem(&r);
		if (started && t.lines < MAX_LINES)
			add_line(&t, r.text, r.len);
	}
	if (started && lost)
		add_line(&t, lost_text, strlen(lost_text));
	if (k->taint_ok && read_taint(k->taint_path, &now) &&
	    pmig_taint_describe(k->taint, now, taint, sizeof(taint))) {
		char line[640];

		snprintf(line, sizeof(line),
			 "the kernel became tainted: %s (tainted %lu -> %lu)",
			 taint, k->taint, now);
		add_line(&t, line, strlen(line));
	}
	return t.lines ? strdup(t.buf) : NULL;
}
