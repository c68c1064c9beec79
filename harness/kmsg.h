/* kmsg.h - what the kernel reported while a case ran: /dev/kmsg records and new taint bits. */
#ifndef PMIG_KMSG_H
#define PMIG_KMSG_H

#include <stdbool.h>
#include <stddef.h>

/** One /dev/kmsg record, as read(2) returns it: "PRIO,SEQ,USEC,FLAGS;TEXT\n". */
struct pmig_kmsg_record {
	int level; /* 0 (emerg) .. 7 (debug) */
	int facility; /* 0 kernel, 1 user (a write to /dev/kmsg), ... */
	unsigned long long seq;
	const char *text; /* into the record; not NUL-terminated */
	size_t len;
};

/** Parses @rec (@len bytes); 0, or -EINVAL for anything else. */
int pmig_kmsg_parse(const char *rec, size_t len, struct pmig_kmsg_record *r);

/**
 * Whether @r starts a report that something went wrong in the kernel: a
 * WARN, BUG, oops, panic, lockdep, KASAN, KFENCE or UBSAN report, a lockup
 * or stall, at warning level or worse.
 */
bool pmig_kmsg_is_problem(const struct pmig_kmsg_record *r);

/**
 * The taint bits set in @after and not in @before, as the kernel's letters
 * with names ("W (warn), D (die)") in @buf; returns how many.
 */
unsigned pmig_taint_describe(unsigned long before, unsigned long after,
			     char *buf, size_t len);

/** A watch on the kernel's log and taint flags. */
struct pmig_kmsg {
	int fd; /* -1: no log to read */
	const char *taint_path; /* NULL: taint not watched */
	unsigned long taint; /* at the last mark */
	bool taint_ok;
};

/**
 * Opens @kmsg_path (NULL: /dev/kmsg) non-blocking and notes @taint_path
 * (NULL: /proc/sys/kernel/tainted). Returns 0, or -errno when the log cannot
 * be read (non-root, dmesg_restrict): the taint is still watched then.
 */
int pmig_kmsg_open(struct pmig_kmsg *k, const char *kmsg_path,
		   const char *taint_path);
void pmig_kmsg_close(struct pmig_kmsg *k);

/** Forgets what was logged so far and notes the taint flags: call before a case. */
void pmig_kmsg_mark(struct pmig_kmsg *k);

/**
 * What the kernel reported since the mark: NULL when nothing, else a
 * malloc'ed text whose first line is the first problem line, followed by
 * the lines after it (up to 16) and a line naming new taint bits.
 */
char *pmig_kmsg_collect(struct pmig_kmsg *k);

#endif
