/* random_run.c - builds one random scenario for real, calls move_pages(2) and compares with the model (runs in a sandbox). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "pages_impl.h"
#include "pin.h"
#include "procs.h"
#include "random_run.h"
#include "reproducer.h"
#include "shrink.h"
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

/* What one run of a scenario saw, next to what the model predicts. */
struct observed {
	long ret, expect;
	int status[PMIG_RND_MAX_ENTRIES], want[PMIG_RND_MAX_ENTRIES];
	int node[PMIG_RND_MAX_PAGES], final[PMIG_RND_MAX_PAGES];
};

/* Builds @s for real, calls move_pages(2), asks the model, tears down. */
static void observe(const struct pmig_rnd_scenario *s,
		    const struct pmig_rnd_env *env, struct observed *o)
{
	static struct pmig_rnd_model model; /* large: keep it off the stack */
	struct built b;
	void *addrs[PMIG_RND_MAX_ENTRIES];
	int nodes[PMIG_RND_MAX_ENTRIES], before[PMIG_RND_MAX_PAGES];

	build(s, &b);
	for (size_t p = 0; p < s->npages; p++)
		before[p] = pmig_page_node(page_at(&b, p));
	for (size_t i = 0; i < s->count; i++) {
		addrs[i] =
			page_at(&b, s->entries[i].page) + s->entries[i].offset;
		nodes[i] = s->entries[i].target;
		o->status[i] = PMIG_MODEL_UNWRITTEN;
	}
	o->ret = pmig_move_pages(0, s->count, addrs, s->query ? NULL : nodes,
				 o->status, (int)s->flags);
	pmig_rnd_to_model(s, &env->machine, env->cap_sys_nice, env->kver,
			  pmig_profiles, pmig_profile_count, &model);
	o->expect = pmig_model_move_pages(&model.sc, o->want, o->final);
	/* Pages the model places; the others must stay as they were. */
	for (size_t p = 0; p < s->npages; p++) {
		o->node[p] = pmig_page_node(page_at(&b, p));
		if (!has_page(s->pages[p].kind))
			o->final[p] = before[p];
	}
	teardown(s, &b);
}

static bool differs(const struct pmig_rnd_scenario *s, const struct observed *o)
{
	bool d = o->ret != o->expect;

	for (size_t i = 0; i < s->count; i++)
		d |= o->status[i] != o->want[i];
	for (size_t p = 0; p < s->npages; p++)
		d |= o->node[p] != o->final[p];
	return d;
}

static bool diverges(const struct pmig_rnd_scenario *s, void *arg)
{
	struct observed o;

	observe(s, arg, &o);
	return differs(s, &o);
}

/*
 * Prints the shrunk scenario @s as a C program, line by line as
 * diagnostics, and into random-<seed>-<id>.c where the working directory
 * takes it (best effort: the diagnostics carry it anyway).
 */
static void print_reproducer(const struct pmig_rnd_scenario *s,
			     const struct observed *o)
{
	char *text = NULL, name[64];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	pmig_rnd_reproducer(f, s, o->expect, o->want, o->final);
	if (fclose(f))
		return;
	snprintf(name, sizeof(name), "random-%llu-%llu.c",
		 (unsigned long long)s->seed, (unsigned long long)s->id);
	f = fopen(name, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
		pmig_diag("reproducer written to %s", name);
	}
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		pmig_diag("| %s", line);
	free(text);
}

void pmig_rnd_run(void *arg)
{
	const struct pmig_rnd_env *env = arg;
	struct pmig_rnd_scenario s;
	struct observed o;
	char desc[1024], label[32];
	unsigned runs;

	pmig_rnd_generate(&s, env->seed, env->id, &env->machine);
	observe(&s, env, &o);
	pmig_check_val("return", o.ret, o.expect);
	for (size_t i = 0; i < s.count; i++) {
		snprintf(label, sizeof(label), "status[%zu]", i);
		pmig_check_val(label, o.status[i], o.want[i]);
	}
	for (size_t p = 0; p < s.npages; p++) {
		snprintf(label, sizeof(label), "node of p%zu", p);
		pmig_check_val(label, o.node[p], o.final[p]);
	}
	if (!pmig_failures())
		return;
	pmig_rnd_format(&s, desc, sizeof(desc));
	pmig_diag("scenario: %s", desc);
	pmig_diag("replay: pmig conform --random 1 --seed %llu --scenario %llu",
		  (unsigned long long)env->seed, (unsigned long long)env->id);
	/* Shrinking re-runs scenarios: a flaky divergence may vanish. */
	runs = pmig_rnd_shrink(&s, diverges, (void *)env);
	observe(&s, env, &o);
	pmig_rnd_format(&s, desc, sizeof(desc));
	pmig_diag("shrunk (%u runs): %s%s", runs, desc,
		  differs(&s, &o) ? "" : " (no longer diverges on its own)");
	print_reproducer(&s, &o);
}
