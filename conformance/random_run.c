/* random_run.c - builds one random scenario for real, checks it is what was asked, makes its call and compares with the model (runs in a sandbox). */
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "pageinfo.h"
#include "pages.h"
#include "pin.h"
#include "procs.h"
#include "random_run.h"
#include "reproducer.h"
#include "settings.h"
#include "shrink.h"
#include "size.h"
#include "spec.h"
#include "syscalls.h"

#define KPF(bit) (1ULL << (bit))

struct built {
	struct pmig_pages pg[PMIG_RND_MAX_PAGES]; /* one region per page */
	bool made[PMIG_RND_MAX_PAGES];
	pid_t sharer[PMIG_RND_MAX_PAGES];
	struct pmig_pin pin[PMIG_RND_MAX_PAGES];
	char why[256]; /* why the scenario could not be built */
};

static char *page_at(const struct built *b, size_t p)
{
	return b->pg[p].base;
}

static bool fail(struct built *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct built *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	return false;
}

/* The workloads' page kind that a scenario kind starts from. */
static enum pmig_page_kind workload_kind(enum pmig_rnd_kind kind)
{
	switch (kind) {
	case PMIG_RND_NEVER_TOUCHED:
		return PMIG_PAGE_NEVER_TOUCHED;
	case PMIG_RND_ZERO:
		return PMIG_PAGE_ZERO;
	case PMIG_RND_HOLE:
		return PMIG_PAGE_HOLE;
	case PMIG_RND_MLOCKED:
		return PMIG_PAGE_MLOCKED;
	case PMIG_RND_MEMFD:
		return PMIG_PAGE_MEMFD;
	case PMIG_RND_FILE_CLEAN:
		return PMIG_PAGE_FILE_CLEAN;
	case PMIG_RND_FILE_DIRTY:
		return PMIG_PAGE_FILE_DIRTY;
	case PMIG_RND_THP:
	case PMIG_RND_THP_SHARED:
		return PMIG_PAGE_THP;
	case PMIG_RND_HUGETLB:
		return PMIG_PAGE_HUGETLB;
	default: /* anon, shared, pinned, swapped: written first */
		return PMIG_PAGE_ANON;
	}
}

/* Page @p's region, bound to its node and written (the workloads check where it landed). */
static bool make(const struct pmig_rnd_scenario *s, struct built *b, size_t p)
{
	const struct pmig_rnd_page *rp = &s->pages[p];
	int err = pmig_pages_create(&b->pg[p], workload_kind(rp->kind), 1,
				    rp->node, p + 1);

	if (err)
		return fail(b, "cannot build p%zu (%s on node %d): %s", p,
			    pmig_rnd_kind_name(rp->kind), rp->node,
			    strerror(-err));
	b->made[p] = true;
	switch (rp->kind) {
	case PMIG_RND_PINNED:
		err = pmig_pin(&b->pin[p], page_at(b, p), b->pg[p].page_size);
		if (err)
			return fail(b, "cannot pin p%zu: %s", p,
				    strerror(-err));
		break;
	case PMIG_RND_SWAPPED:
		err = pmig_pages_pageout(&b->pg[p]);
		if (err)
			return fail(b, "cannot swap p%zu out: %s", p,
				    err == -EAGAIN ?
					    "MADV_PAGEOUT left it in memory" :
					    strerror(-err));
		break;
	default:
		break;
	}
	return true;
}

static bool shared_kind(enum pmig_rnd_kind kind)
{
	return kind == PMIG_RND_SHARED || kind == PMIG_RND_THP_SHARED;
}

/* Whether the @len bytes at @a are one compound page with the kpageflags @flags. */
static bool one_huge_page(const struct pmig_rnd_scenario *s, const char *a,
			  size_t len, uint64_t flags, uint64_t *got)
{
	size_t page = s->sizes.base;
	uint64_t first, last;

	*got = 0;
	if (pmig_kpageflags(a, got) || (*got & flags) != flags ||
	    pmig_pagemap(a, &first) || pmig_pagemap(a + len - page, &last))
		return false;
	return (last & PMIG_PM_PFN_MASK) ==
	       (first & PMIG_PM_PFN_MASK) + len / page - 1;
}

/* Just before the call: every page is the kind and on the node asked for. */
static bool verify(const struct pmig_rnd_scenario *s, struct built *b)
{
	for (size_t p = 0; p < s->npages; p++) {
		enum pmig_rnd_kind k = s->pages[p].kind;
		uint64_t f = 0, e = 0;
		int node;

		if (k == PMIG_RND_THP || k == PMIG_RND_THP_SHARED) {
			if (!one_huge_page(
				    s, page_at(b, p), s->sizes.thp,
				    KPF(KPF_THP) | KPF(KPF_COMPOUND_HEAD), &f))
				return fail(
					b,
					"p%zu is not a THP: the kernel backed it with base pages (kpageflags %#llx)",
					p, (unsigned long long)f);
		} else if (k == PMIG_RND_HUGETLB) {
			if (!one_huge_page(s, page_at(b, p), s->sizes.hugetlb,
					   KPF(KPF_HUGE), &f))
				return fail(
					b,
					"p%zu is not one %zu KiB hugetlb page (kpageflags %#llx)",
					p, s->sizes.hugetlb >> 10,
					(unsigned long long)f);
		} else if (k == PMIG_RND_SWAPPED) {
			if (pmig_pagemap(page_at(b, p), &e) ||
			    !(e & PMIG_PM_SWAPPED))
				return fail(b, "p%zu is no longer swapped out",
					    p);
		}
		if (!pmig_rnd_resident(k))
			continue;
		node = pmig_page_node(page_at(b, p));
		if (node != s->pages[p].node)
			return fail(b, "p%zu was bound to node %d but is on %d",
				    p, s->pages[p].node, node);
	}
	return true;
}

static void teardown(const struct pmig_rnd_scenario *s, struct built *b)
{
	for (size_t p = 0; p < s->npages; p++) {
		pmig_unpin(&b->pin[p]);
		pmig_sharer_stop(b->sharer[p]);
		if (b->made[p])
			pmig_pages_destroy(&b->pg[p]);
	}
}

/*
 * Shared pages first: each sharer's fork COW-shares every private page
 * written so far, so the pages meant to be exclusive are made after.
 * Holes last: nothing mapped afterwards can land in them. False, with
 * b->why, when the machine did not give what the scenario asks for.
 */
static bool build(const struct pmig_rnd_scenario *s, struct built *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t p = 0; p < s->npages; p++)
		b->pin[p].fds[0] = b->pin[p].fds[1] = -1;
	for (size_t p = 0; p < s->npages; p++)
		if (shared_kind(s->pages[p].kind) && !make(s, b, p))
			return false;
	for (size_t p = 0; p < s->npages; p++) {
		if (!shared_kind(s->pages[p].kind))
			continue;
		b->sharer[p] = pmig_sharer_start(
			page_at(b, p), b->pg[p].page_size, s->sizes.base);
		if (b->sharer[p] < 0) {
			int err = (int)-b->sharer[p];

			b->sharer[p] = 0;
			return fail(b, "cannot start a sharer of p%zu: %s", p,
				    strerror(err));
		}
	}
	for (size_t p = 0; p < s->npages; p++)
		if (!shared_kind(s->pages[p].kind) &&
		    s->pages[p].kind != PMIG_RND_HOLE && !make(s, b, p))
			return false;
	for (size_t p = 0; p < s->npages; p++)
		if (s->pages[p].kind == PMIG_RND_HOLE && !make(s, b, p))
			return false;
	return verify(s, b);
}

/* What one run of a scenario saw, next to what the model predicts. */
struct observed {
	long ret, expect;
	int status[PMIG_RND_MAX_ENTRIES], want[PMIG_RND_MAX_ENTRIES];
	int node[PMIG_RND_MAX_PAGES], final[PMIG_RND_MODEL_ADDRS];
	int tail_node[PMIG_RND_MAX_PAGES]; /* a huge page's last subpage */
};

/* Every entry's address lies in its page's region; the mbind range in the pages. */
static bool valid(const struct pmig_rnd_scenario *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->entries[i].page >= s->npages ||
		    s->entries[i].offset >=
			    pmig_rnd_region(s,
					    s->pages[s->entries[i].page].kind))
			return false;
	return s->call.op != PMIG_RND_OP_MBIND ||
	       s->call.first + s->call.npages <= s->npages;
}

/* A node set as the kernel reads it: PMIG_MASK_MAXNODE bits. */
static struct pmig_nodemask mask_of(pmig_model_nodemask m)
{
	struct pmig_nodemask k = { { 0 } };

	for (int n = 0; n < 64; n++)
		if (m & ((pmig_model_nodemask)1 << n))
			k.bits[n / (8 * sizeof(unsigned long))] |=
				1UL << (n % (8 * sizeof(unsigned long)));
	return k;
}

static long migrate(const struct pmig_rnd_call *c)
{
	struct pmig_nodemask old = mask_of(c->old_nodes),
			     new = mask_of(c->new_nodes);

	return pmig_migrate_pages(0, PMIG_MASK_MAXNODE, old.bits, new.bits);
}

/* mbind(2) over page c->first's whole region (a hole's too). */
static long bind(const struct pmig_rnd_scenario *s, const struct built *b,
		 const struct pmig_rnd_call *c)
{
	struct pmig_nodemask nodes = mask_of(c->nodes);
	size_t len = pmig_rnd_region(s, s->pages[c->first].kind);

	return pmig_mbind(page_at(b, c->first), len, (int)c->mode, nodes.bits,
			  PMIG_MASK_MAXNODE, c->flags);
}

/*
 * Makes the scenario's call; returns the kernel's result and fills
 * o->status for move_pages(2). migrate_pages(2) counts the failures of the
 * whole process (its stack and libraries too): @base is a first call made
 * before the pages existed, so the difference is the scenario's share.
 */
static long call(const struct pmig_rnd_scenario *s, const struct built *b,
		 long base, struct observed *o)
{
	void *addrs[PMIG_RND_MAX_ENTRIES];
	int nodes[PMIG_RND_MAX_ENTRIES];
	long ret;

	switch (s->call.op) {
	case PMIG_RND_OP_MIGRATE_PAGES:
		ret = migrate(&s->call);
		return ret >= 0 && base > 0 ? ret - base : ret;
	case PMIG_RND_OP_MBIND:
		return bind(s, b, &s->call);
	default:
		break;
	}
	for (size_t i = 0; i < s->count; i++) {
		addrs[i] =
			page_at(b, s->entries[i].page) + s->entries[i].offset;
		nodes[i] = s->entries[i].target;
	}
	return pmig_move_pages(0, s->count, addrs, s->query ? NULL : nodes,
			       o->status, (int)s->flags);
}

/*
 * Builds @s for real, makes its call, asks the model, tears down.
 * False, with @why, when the scenario could not be built as asked.
 */
static bool observe(const struct pmig_rnd_scenario *s,
		    const struct pmig_rnd_env *env, struct observed *o,
		    char *why, size_t len)
{
	static struct pmig_rnd_model model; /* large: keep it off the stack */
	static struct built b;
	int before[PMIG_RND_MAX_PAGES];
	long base = 0;

	if (!valid(s)) {
		snprintf(
			why, len,
			"malformed scenario (an offset past its page, or an mbind range past the pages)");
		return false;
	}
	if (s->call.op == PMIG_RND_OP_MIGRATE_PAGES)
		base = migrate(&s->call);
	if (!build(s, &b)) {
		snprintf(why, len, "%s", b.why);
		teardown(s, &b);
		return false;
	}
	for (size_t p = 0; p < s->npages; p++)
		before[p] = pmig_page_node(page_at(&b, p));
	for (size_t i = 0; i < s->count; i++)
		o->status[i] = o->want[i] = PMIG_MODEL_UNWRITTEN;
	o->ret = call(s, &b, base, o);
	pmig_rnd_to_model(s, &env->machine, env->cap_sys_nice, env->kver,
			  pmig_profiles, pmig_profile_count, &model);
	if (s->call.op == PMIG_RND_OP_MOVE_PAGES)
		o->expect = pmig_model_move_pages(&model.sc, o->want, o->final);
	else
		o->expect = pmig_rnd_call_predict(
			&s->call, &model.sc,
			s->pages[s->call.first].kind == PMIG_RND_HOLE,
			o->final);
	/* Pages the model places; the others must stay as they were. */
	for (size_t p = 0; p < s->npages; p++) {
		o->node[p] = pmig_page_node(page_at(&b, p));
		o->tail_node[p] = o->node[p];
		if (pmig_rnd_huge(s->pages[p].kind))
			o->tail_node[p] = pmig_page_node(
				page_at(&b, p) +
				pmig_rnd_region(s, s->pages[p].kind) -
				s->sizes.base);
		if (!pmig_rnd_resident(s->pages[p].kind))
			o->final[p] = before[p];
	}
	teardown(s, &b);
	return true;
}

static bool differs(const struct pmig_rnd_scenario *s, const struct observed *o)
{
	bool d = o->ret != o->expect;

	for (size_t i = 0; i < s->count; i++)
		d |= o->status[i] != o->want[i];
	for (size_t p = 0; p < s->npages; p++)
		d |= o->node[p] != o->final[p] ||
		     o->tail_node[p] != o->final[p];
	return d;
}

/* A candidate that cannot be built does not count as diverging. */
static bool diverges(const struct pmig_rnd_scenario *s, void *arg)
{
	struct observed o;
	char why[256];

	return observe(s, arg, &o, why, sizeof(why)) && differs(s, &o);
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
	char desc[1024], label[48], why[256], avail[64], base[16], thp[16],
		htlb[16];
	unsigned runs;

	pmig_rnd_generate(&s, env->seed, env->id, &env->machine);
	pmig_rnd_format(&s, desc, sizeof(desc));
	/* Not what was asked: nothing about the kernel was learnt. */
	if (!observe(&s, env, &o, why, sizeof(why)))
		pmig_broken("%s; scenario: %s", why, desc);
	pmig_check_val("return", o.ret, o.expect);
	for (size_t i = 0; i < s.count && s.call.op == PMIG_RND_OP_MOVE_PAGES;
	     i++) {
		snprintf(label, sizeof(label), "status[%zu]", i);
		pmig_check_val(label, o.status[i], o.want[i]);
	}
	for (size_t p = 0; p < s.npages; p++) {
		snprintf(label, sizeof(label), "node of p%zu", p);
		pmig_check_val(label, o.node[p], o.final[p]);
		if (!pmig_rnd_huge(s.pages[p].kind))
			continue;
		snprintf(label, sizeof(label), "node of p%zu+%#zx", p,
			 pmig_rnd_region(&s, s.pages[p].kind) - s.sizes.base);
		pmig_check_val(label, o.tail_node[p], o.final[p]);
	}
	if (!pmig_failures())
		return;
	pmig_rnd_format_machine(&env->machine, avail, sizeof(avail));
	pmig_diag("scenario: %s", desc);
	/* Offsets and folio sizes follow the page sizes: a replay needs the same. */
	pmig_diag(
		"replay: pmig conform --random 1 --seed %llu --scenario %llu (on a machine offering: %s; %s pages, THP %s, hugetlb %s)",
		(unsigned long long)env->seed, (unsigned long long)env->id,
		avail, pmig_size_format(s.sizes.base, base, sizeof(base)),
		pmig_size_format(s.sizes.thp, thp, sizeof(thp)),
		pmig_size_format(s.sizes.hugetlb, htlb, sizeof(htlb)));
	/* Shrinking re-runs scenarios: a flaky divergence may vanish. */
	runs = pmig_rnd_shrink(&s, &env->machine, diverges, (void *)env);
	pmig_rnd_format(&s, desc, sizeof(desc));
	if (!observe(&s, env, &o, why, sizeof(why))) {
		pmig_diag("shrunk (%u runs): %s (cannot be built again: %s)",
			  runs, desc, why);
		return;
	}
	pmig_diag("shrunk (%u runs): %s%s", runs, desc,
		  differs(&s, &o) ? "" : " (no longer diverges on its own)");
	print_reproducer(&s, &o);
}

/* Runner side: the settings of the random run and what the machine offers. */

/* Applies @list; the first mark of the run goes to *@first. */
static void apply(const struct pmig_setting *list, size_t n, size_t *first,
		  int *err)
{
	size_t mark;

	*err = pmig_settings_apply(list, n, &mark);
	if (!*err && *first == SIZE_MAX)
		*first = mark;
}

static long hugetlb_number(const struct pmig_rnd_machine *m, int node,
			   const char *file)
{
	char path[128];
	int err = pmig_hugetlb_node_path(path, sizeof(path), node,
					 m->sizes.hugetlb, file);

	return err ? err : pmig_read_number(path);
}

/* Grows each memory node's pool to PMIG_RND_MAX_PAGES free pages; never shrinks one. */
static bool prepare_hugetlb(const struct pmig_rnd_machine *m, bool root,
			    size_t *first, FILE *log)
{
	char size[16];

	if (!m->sizes.hugetlb) {
		fprintf(log,
			"# random: no hugetlb kind: no pool of the THP size nor of the default size\n");
		return false;
	}
	pmig_size_format(m->sizes.hugetlb, size, sizeof(size));
	for (size_t k = 0; k < m->nnodes; k++) {
		int node = m->nodes[k], err;
		long nr = hugetlb_number(m, node, "nr_hugepages");
		long fr = hugetlb_number(m, node, "free_hugepages");
		char path[128], value[32];
		struct pmig_setting set = { path, value, PMIG_SR_REQUIRED };

		if (nr < 0 || fr < 0) {
			fprintf(log,
				"# random: no hugetlb kind: node %d has no %s pool (%s)\n",
				node, size, strerror((int)-(nr < 0 ? nr : fr)));
			return false;
		}
		if (fr >= PMIG_RND_MAX_PAGES)
			continue;
		if (!root) {
			fprintf(log,
				"# random: no hugetlb kind: node %d has %ld free %s pages, not %d, and only root may grow the pool\n",
				node, fr, size, PMIG_RND_MAX_PAGES);
			return false;
		}
		pmig_hugetlb_node_path(path, sizeof(path), node,
				       m->sizes.hugetlb, "nr_hugepages");
		snprintf(value, sizeof(value), "%ld",
			 nr + PMIG_RND_MAX_PAGES - fr);
		apply(&set, 1, first, &err);
		fr = hugetlb_number(m, node, "free_hugepages");
		if (err || fr < PMIG_RND_MAX_PAGES) {
			fprintf(log,
				"# random: no hugetlb kind: node %d has %ld free %s pages after asking for %d%s%s\n",
				node, fr, size, PMIG_RND_MAX_PAGES,
				err ? ": " : "", err ? strerror(-err) : "");
			return false;
		}
	}
	fprintf(log,
		"# random: hugetlb pool: at least %d free %s pages on each memory node\n",
		PMIG_RND_MAX_PAGES, size);
	return true;
}

size_t pmig_rnd_prepare(struct pmig_rnd_machine *m, bool root, FILE *log)
{
	static const struct pmig_setting thp[] = {
		/* MADV_HUGEPAGE regions get a THP, with direct compaction. */
		{ "/sys/kernel/mm/transparent_hugepage/enabled", "madvise",
		  PMIG_SR_REQUIRED },
		{ "/sys/kernel/mm/transparent_hugepage/defrag", "madvise",
		  PMIG_SR_REQUIRED },
	};
	size_t first = SIZE_MAX;
	char dir[256];
	int err;

	if (!m->sizes.thp) {
		fprintf(log,
			"# random: no THP kinds: this kernel has no THP\n");
	} else if (!root) {
		fprintf(log,
			"# random: no THP kinds: checking that a THP formed needs /proc/kpageflags (root)\n");
	} else {
		apply(thp, sizeof(thp) / sizeof(thp[0]), &first, &err);
		m->thp = !err;
		if (err)
			fprintf(log,
				"# random: no THP kinds: cannot set THP enabled and defrag to madvise: %s\n",
				strerror(-err));
		else
			fprintf(log,
				"# random: THP enabled=madvise defrag=madvise for the run\n");
	}
	m->hugetlb = prepare_hugetlb(m, root, &first, log);
	m->swap = pmig_swap_active();
	if (!m->swap)
		fprintf(log, "# random: no swapped kind: no active swap\n");
	m->scratch = pmig_scratch_dir(dir, sizeof(dir)) == 0 &&
		     access(dir, W_OK | X_OK) == 0;
	if (!m->scratch)
		fprintf(log,
			"# random: no file kinds: no writable disk-backed directory (PMIG_SCRATCH_DIR)\n");
	return first;
}
