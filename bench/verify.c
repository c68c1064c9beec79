/* verify.c - placement and contents checks after each timed migration, and the hooks that break them on purpose. */
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "refmig.h"
#include "syscalls.h"
#include "verify.h"

int pmig_verify_pages(struct pmig_bench_state *st, const struct pmig_pages *p,
		      int node, bool data, const char *when)
{
	size_t len = p->count * p->page_size;
	size_t want = len / (size_t)sysconf(_SC_PAGESIZE);
	long first = -1, on, bad;
	int status = 0;
	char buf[16];

	on = pmig_range_count_on_node(p->base, len, node, &first, &status);
	if (on < 0) {
		pmig_bench_fail(st, "%s: placement query failed: %s", when,
				strerror((int)-on));
		return -1;
	}
	if ((size_t)on != want) {
		pmig_bench_fail(
			st,
			"%s: %ld of %zu base pages on node %d; page %ld is on %s",
			when, on, want, node, first,
			pmig_errno_text(status, buf, sizeof(buf)));
		return -1;
	}
	bad = data ? pmig_pages_first_corrupt(p) : -1;
	if (bad >= 0) {
		pmig_bench_fail(st, "%s: page %ld (of %zu) lost its data", when,
				bad, p->count);
		return -1;
	}
	return 0;
}

static bool env_matches(const char *var, const char *name)
{
	const char *re = getenv(var);
	regex_t r;
	bool hit;

	if (!re || !*re || regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return false;
	hit = regexec(&r, name, 0, NULL, 0) == 0;
	regfree(&r);
	return hit;
}

enum pmig_hook pmig_hook_for(const char *name)
{
	if (env_matches("PMIG_BENCH_CORRUPT", name))
		return PMIG_HOOK_CORRUPT;
	if (env_matches("PMIG_BENCH_MISPLACE", name))
		return PMIG_HOOK_MISPLACE;
	return PMIG_HOOK_NONE;
}

int pmig_hook_apply(struct pmig_bench_ctx *x, enum pmig_hook hook)
{
	struct pmig_pages *p = x->check;
	char *page = p->base + (p->count / 2) * p->page_size;
	int node = x->c->pair.from, status = -1;
	void *addr = page;
	long ret = 0;

	if (hook == PMIG_HOOK_CORRUPT) {
		/* Read-only file pages: the mapping may be made writable (the file is). */
		if (mprotect(p->base, p->count * p->page_size,
			     PROT_READ | PROT_WRITE))
			return -errno;
		((volatile uint64_t *)page)[1] ^= 1;
		if (p->kind == PMIG_PAGE_FILE_CLEAN)
			mprotect(p->base, p->count * p->page_size, PROT_READ);
	} else if (hook == PMIG_HOOK_MISPLACE) {
		ret = pmig_move_pages(0, 1, &addr, &node, &status,
				      x->move_flags);
	}
	return ret < 0 ? (int)ret : 0;
}
