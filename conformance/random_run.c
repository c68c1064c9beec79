/* random_run.c - builds one random scenario for real, calls move_pages(2) and compares with the model (runs in a sandbox). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "pages_impl.h"
#include "pin.h"
#include "procs.h"
#include "random_run.h"
#include "spec.h"
#include "syscalls.h"

struct built {
	char *base; /* npages pages, one mapping before the holes are cut */
	size_t ps;
	pid_t sharer[PMIG_RND_MAX_PAGES];
	struct pmig_pin pin[PMIG_RND_MAX_PAGES];
};

static char *page_at(const struct built *b, size_t p)
{
	return b->base + p * b->ps;
}

/* Binds page @p to its node, writes it and checks where it landed. */
static void write_page(const struct pmig_rnd_scenario *s, struct built *b,
		       size_t p)
{
	char *a = page_at(b, p);
	int err = pmig_bind_range(a, b->ps, s->pages[p].node), got;

	if (err)
		pmig_broken("mbind of p%zu to node %d: %s", p, s->pages[p].node,
			    strerror(-err));
	memset(a, 0x5a ^ (int)p, b->ps);
	got = pmig_page_node(a);
	if (got != s->pages[p].node)
		pmig_broken("p%zu was bound to node %d but is on %d", p,
			    s->pages[p].node, got);
}

/*
 * Shared pages first: each sharer's fork COW-shares every private page
 * written so far, so the pages meant to be exclusive are written after.
 */
static void build(const struct pmig_rnd_scenario *s, struct built *b)
{
	b->ps = (size_t)sysconf(_SC_PAGESIZE);
	b->base = pmig_map(s->npages * b->ps, false);
	if (!b->base)
		pmig_broken("mmap: %s", strerror(errno));
	for (size_t p = 0; p < s->npages; p++) {
		b->sharer[p] = 0;
		b->pin[p].fds[0] = b->pin[p].fds[1] = -1;
		if (s->pages[p].kind == PMIG_RND_SHARED)
			write_page(s, b, p);
	}
	for (size_t p = 0; p < s->npages; p++) {
		if (s->pages[p].kind != PMIG_RND_SHARED)
			continue;
		b->sharer[p] = pmig_sharer_start(page_at(b, p), b->ps, b->ps);
		if (b->sharer[p] < 0)
			pmig_broken("cannot start a sharer of p%zu: %s", p,
				    strerror((int)-b->sharer[p]));
	}
	for (size_t p = 0; p < s->npages; p++) {
		char *a = page_at(b, p);
		int err;

		switch (s->pages[p].kind) {
		case PMIG_RND_ANON:
			write_page(s, b, p);
			break;
		case PMIG_RND_PINNED:
			write_page(s, b, p);
			err = pmig_pin(&b->pin[p], a, b->ps);
			if (err)
				pmig_broken("cannot pin p%zu: %s", p,
					    strerror(-err));
			break;
		case PMIG_RND_ZERO:
			(void)*(volatile char *)a;
			break;
		default:
			break;
		}
	}
	/* Holes last: nothing mapped afterwards can land in them. */
	for (size_t p = 0; p < s->npages; p++)
		if (s->pages[p].kind == PMIG_RND_HOLE &&
		    munmap(page_at(b, p), b->ps))
			pmig_broken("munmap: %s", strerror(errno));
}

static void teardown(const struct pmig_rnd_scenario *s, struct built *b)
{
	for (size_t p = 0; p < s->npages; p++) {
		pmig_unpin(&b->pin[p]);
		pmig_sharer_stop(b->sharer[p]);
	}
	munmap(b->base, s->npages * b->ps);
}

static bool has_page(enum pmig_rnd_kind kind)
{
	return kind == PMIG_RND_ANON || kind == PMIG_RND_SHARED ||
	       kind == PMIG_RND_PINNED;
}

void pmig_rnd_run(void *arg)
{
	const struct pmig_rnd_env *env = arg;
	struct pmig_rnd_scenario s;
	static struct pmig_rnd_model model; /* large: keep it off the stack */
	struct built b;
	void *addrs[PMIG_RND_MAX_ENTRIES];
	int nodes[PMIG_RND_MAX_ENTRIES], status[PMIG_RND_MAX_ENTRIES];
	int want[PMIG_RND_MAX_ENTRIES], final[PMIG_RND_MAX_PAGES];
	int before[PMIG_RND_MAX_PAGES];
	char desc[1024], label[32];
	long ret, expect;

	pmig_rnd_generate(&s, env->seed, env->id, &env->machine);
	build(&s, &b);
	for (size_t p = 0; p < s.npages; p++)
		before[p] = pmig_page_node(page_at(&b, p));
	for (size_t i = 0; i < s.count; i++) {
		addrs[i] = page_at(&b, s.entries[i].page) + s.entries[i].offset;
		nodes[i] = s.entries[i].target;
		status[i] = PMIG_MODEL_UNWRITTEN;
	}
	ret = pmig_move_pages(0, s.count, addrs, s.query ? NULL : nodes, status,
			      (int)s.flags);

	pmig_rnd_to_model(&s, &env->machine, env->cap_sys_nice, env->kver,
			  pmig_profiles, pmig_profile_count, &model);
	expect = pmig_model_move_pages(&model.sc, want, final);
	pmig_check_val("return", ret, expect);
	for (size_t i = 0; i < s.count; i++) {
		snprintf(label, sizeof(label), "status[%zu]", i);
		pmig_check_val(label, status[i], want[i]);
	}
	/* Pages the model places; the others must stay as they were. */
	for (size_t p = 0; p < s.npages; p++) {
		snprintf(label, sizeof(label), "node of p%zu", p);
		pmig_check_val(label, pmig_page_node(page_at(&b, p)),
			       has_page(s.pages[p].kind) ? final[p] :
							   before[p]);
	}
	if (pmig_failures()) {
		pmig_rnd_format(&s, desc, sizeof(desc));
		pmig_diag("scenario: %s", desc);
		pmig_diag(
			"replay: pmig conform --random 1 --seed %llu --scenario %llu",
			(unsigned long long)env->seed,
			(unsigned long long)env->id);
	}
	teardown(&s, &b);
}
