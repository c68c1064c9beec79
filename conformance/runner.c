/* runner.c - runs each selected case in a sandbox against its (profile-resolved) expectation and streams TAP. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "covmark.h"
#include "cpuset.h"
#include "kmsg.h"
#include "output.h"
#include "pagesizes.h"
#include "priv.h"
#include "procs.h"
#include "random_run.h"
#include "runner.h"
#include "sandbox.h"
#include "settings.h"
#include "size.h"
#include "tiers.h"
#include "topo.h"

#define MAX_NODES 64

/* What the machine offers, learnt once before any case runs. */
struct machine {
	unsigned nodes[MAX_NODES]; /* memory nodes this task may use */
	size_t nnodes;
	int offline;
	int cpuless; /* lowest allowed memory node without CPUs, or -1 */
	int memoryless; /* lowest online node without memory, or -1 */
	int lower; /* lowest allowed memory node in a slower tier than home's, or -1 */
	char no_lower[256]; /* why there is none */
	/*
	 * Where the kernel puts every memory node in one tier: the CPU-less
	 * memory node, the lower tier it would be with HMAT-based tiers; or -1.
	 */
	int one_tier;
	bool root;
	bool kthread;
	char release[128];
	char hostname[65];
};

size_t pmig_cases_each(const char *filter,
		       void (*fn)(const struct pmig_case *c, void *arg),
		       void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < pmig_case_count; i++) {
		if (filter && fnmatch(filter, pmig_cases[i].id, 0))
			continue;
		n++;
		if (fn)
			fn(&pmig_cases[i], arg);
	}
	return n;
}

/* A Linux node list file ("0-1,3") or status field as an hwloc bitmap. */
static hwloc_bitmap_t read_list(const char *path, const char *field)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	char line[4096];
	size_t flen = field ? strlen(field) : 0;
	FILE *f = fopen(path, "r");
	bool found = false;

	if (!f || !set)
		goto out;
	while (!found && fgets(line, sizeof(line), f)) {
		if (field && strncmp(line, field, flen))
			continue;
		line[strcspn(line, "\n")] = '\0';
		found = hwloc_bitmap_list_sscanf(
				set,
				line + flen + strspn(line + flen, " \t")) == 0;
	}
out:
	if (f)
		fclose(f);
	if (!found) {
		hwloc_bitmap_free(set);
		return NULL;
	}
	return set;
}

/* The first memory node in a slower memory tier than home's; or why there is none. */
static void learn_lower_tier(struct machine *m)
{
	struct pmig_mem_tier t[16];
	int n = pmig_tiers_read(NULL, t, PMIG_ARRAY_SIZE(t)), home;

	m->lower = -1;
	m->one_tier = -1;
	if (n < 0) {
		snprintf(
			m->no_lower, sizeof(m->no_lower),
			"this kernel has no memory tiers (no /sys/devices/virtual/memory_tiering)");
		return;
	}
	if (n < 2) {
		snprintf(
			m->no_lower, sizeof(m->no_lower),
			"this kernel puts every memory node in one tier (memory_tier%d: nodes %s)",
			n ? t[0].id : -1, n ? t[0].nodelist : "none");
		if (n == 1)
			m->one_tier = m->cpuless;
		return;
	}
	home = pmig_tier_index(t, (size_t)n, (int)m->nodes[0]);
	for (size_t i = 0; home >= 0 && i < m->nnodes; i++)
		if (pmig_tier_index(t, (size_t)n, (int)m->nodes[i]) > home) {
			m->lower = (int)m->nodes[i];
			return;
		}
	snprintf(
		m->no_lower, sizeof(m->no_lower),
		"no memory node this task may use is in a slower tier than node %u's (%d tiers; the slowest: memory_tier%d, nodes %s)",
		m->nodes[0], n, t[n - 1].id, t[n - 1].nodelist);
}

static int learn_machine(struct machine *m)
{
	struct pmig_topo *topo;
	unsigned mem[MAX_NODES];
	hwloc_bitmap_t allowed, online, has_cpu, has_memory;
	struct utsname u;
	size_t n;
	int err = pmig_topo_load(&topo, NULL);

	if (err)
		return err;
	n = pmig_topo_memory_nodes(topo, mem, MAX_NODES);
	pmig_topo_free(topo);
	allowed = read_list("/proc/self/status", "Mems_allowed_list:");
	online = read_list("/sys/devices/system/node/online", NULL);
	has_cpu = read_list("/sys/devices/system/node/has_cpu", NULL);
	has_memory = read_list("/sys/devices/system/node/has_memory", NULL);
	m->nnodes = 0;
	m->cpuless = -1;
	for (size_t i = 0; i < n && i < MAX_NODES; i++) {
		if (allowed && !hwloc_bitmap_isset(allowed, mem[i]))
			continue;
		if (m->cpuless < 0 && has_cpu &&
		    !hwloc_bitmap_isset(has_cpu, mem[i]))
			m->cpuless = (int)mem[i];
		else
			m->nodes[m->nnodes++] = mem[i];
	}
	/* Cases place pages on the first two nodes; a CPU-less one comes last. */
	if (m->cpuless >= 0)
		m->nodes[m->nnodes++] = (unsigned)m->cpuless;
	m->memoryless = -1;
	if (online && has_memory) {
		hwloc_bitmap_andnot(online, online, has_memory);
		m->memoryless = hwloc_bitmap_first(online);
		hwloc_bitmap_or(online, online, has_memory);
	}
	/* Without sysfs, node 1 past the highest memory node is offline too. */
	m->offline = online ? hwloc_bitmap_first_unset(online) :
			      (int)(n ? mem[n - 1] + 1 : 1);
	hwloc_bitmap_free(allowed);
	hwloc_bitmap_free(online);
	hwloc_bitmap_free(has_cpu);
	hwloc_bitmap_free(has_memory);
	if (m->nnodes)
		learn_lower_tier(m);
	m->root = geteuid() == 0;
	m->kthread = pmig_find_kthread() > 0;
	uname(&u);
	snprintf(m->release, sizeof(m->release), "%s", u.release);
	snprintf(m->hostname, sizeof(m->hostname), "%s", u.nodename);
	return m->nnodes ? 0 : -ENODEV;
}

/*
 * The lower-tier node a case with PMIG_NEED_LOWER_TIER gets, or -1 with the
 * reason in @buf. A kernel with one tier gives none, except to a case whose
 * profile entry says what one tier does (PMIG_EXPECT_STAYS: nothing moves
 * to or from it): that case gets the CPU-less memory node. Such an entry
 * is about one tier: where this kernel has a lower tier after all (a
 * dax/kmem node before HMAT-based tiers), the case cannot use it.
 */
static int lower_tier_for(const struct machine *m, bool one_tier_profile,
			  char *buf, size_t len)
{
	if (m->lower >= 0 && one_tier_profile) {
		snprintf(
			buf, len,
			"this kernel's profile entry describes one memory tier, but node %d is in a lower tier than node %u's here",
			m->lower, m->nodes[0]);
		return -1;
	}
	if (m->lower >= 0)
		return m->lower;
	if (m->one_tier >= 0 && one_tier_profile)
		return m->one_tier;
	snprintf(buf, len, "needs a lower memory tier than node %u's; %s",
		 m->nodes[0], m->no_lower);
	return -1;
}

static const char *unmet_need(const struct machine *m, unsigned needs,
			      bool one_tier_profile, char *buf, size_t len)
{
	if ((needs & PMIG_NEED_ROOT) && !m->root) {
		snprintf(buf, len, "needs root (running as uid %u)",
			 (unsigned)geteuid());
		return buf;
	}
	if ((needs & PMIG_NEED_NODES2) && m->nnodes < 2) {
		snprintf(
			buf, len,
			"needs 2 NUMA nodes with memory; this machine has %zu (node %u)",
			m->nnodes, m->nodes[0]);
		return buf;
	}
	if ((needs & PMIG_NEED_KTHREAD) && !m->kthread) {
		snprintf(
			buf, len,
			"needs a kernel thread; none is visible in this pid namespace");
		return buf;
	}
	if ((needs & PMIG_NEED_CPULESS) && m->cpuless < 0) {
		snprintf(
			buf, len,
			"needs a memory node without CPUs; this topology has none");
		return buf;
	}
	if ((needs & PMIG_NEED_MEMORYLESS) && m->memoryless < 0) {
		snprintf(
			buf, len,
			"needs an online node without memory; this topology has none");
		return buf;
	}
	if ((needs & PMIG_NEED_LOWER_TIER) &&
	    lower_tier_for(m, one_tier_profile, buf, len) < 0)
		return buf;
	return NULL;
}

/*
 * @in with {home}, {other} and {cpuless} replaced by @ctx's node ids, and
 * {hugetlb_kB} by the hugetlb size in kB (its sysfs pool's name),
 * {hugetlb_min_kB} by the smallest one's.
 */
static void expand_nodes(const char *in, const struct pmig_ctx *ctx, char *out,
			 size_t len)
{
	static const char *const names[] = { "{home}", "{other}", "{cpuless}",
					     "{hugetlb_kB}",
					     "{hugetlb_min_kB}" };
	const int ids[] = { ctx->home, ctx->other, ctx->cpuless,
			    (int)(pmig_page_sizes()->hugetlb >> 10),
			    (int)(pmig_page_sizes()->hugetlb_min >> 10) };
	size_t used = 0;

	while (*in && used + 1 < len) {
		size_t k = 0, nl = 0;

		while (k < PMIG_ARRAY_SIZE(names) &&
		       strncmp(in, names[k], nl = strlen(names[k])))
			k++;
		if (k < PMIG_ARRAY_SIZE(names)) {
			used += (size_t)snprintf(out + used, len - used, "%d",
						 ids[k]);
			in += nl;
		} else {
			out[used++] = *in++;
		}
	}
	out[used < len ? used : len - 1] = '\0';
}

/* Applies @c's settings one by one; on failure @buf gets the skip reason. */
static const char *apply_case_settings(const struct pmig_case *c,
				       const struct pmig_ctx *ctx, size_t *mark,
				       char *buf, size_t len)
{
	*mark = SIZE_MAX;
	for (size_t i = 0; i < c->nsettings; i++) {
		char path[256], value[256];
		struct pmig_setting one = c->settings[i];
		size_t m;
		int err;

		expand_nodes(one.path, ctx, path, sizeof(path));
		one.path = path;
		if (one.value) {
			expand_nodes(one.value, ctx, value, sizeof(value));
			one.value = value;
		}
		err = pmig_settings_apply(&one, 1, &m);
		if (*mark == SIZE_MAX)
			*mark = m;
		if (err) {
			if (*mark != SIZE_MAX)
				pmig_settings_restore_to(*mark);
			*mark = SIZE_MAX;
			snprintf(buf, len, "cannot set %s to %s: %s", path,
				 one.value ? one.value : "(saved)",
				 strerror(-err));
			return buf;
		}
	}
	return NULL;
}

struct call {
	const struct pmig_case *c;
	const struct pmig_ctx *ctx;
};

static void call_case(void *arg)
{
	const struct call *call = arg;

	call->c->run(call->ctx);
}

/* Diagnostics the runner adds: where the expectation came from. */
static char *explain(const struct pmig_spec *s, long expect,
		     const struct pmig_profile_entry *override)
{
	char e[32], *text = NULL;
	const char *et = pmig_expect_text(expect, e, sizeof(e));
	size_t elen = strlen(et);

	if (override) {
		if (asprintf(
			    &text,
			    "this kernel's profile expects %s, not mainline's: %s",
			    et, override->cite) < 0)
			text = NULL;
	} else if (s->spec2006 && s->expect == PMIG_EXPECT_HOLDS) {
		if (asprintf(&text, "the 2006 spec says %s; today: %s (%s)",
			     s->spec2006, s->condition, s->origin) < 0)
			text = NULL;
	} else if (s->spec2006 && s->expect != PMIG_EXPECT_NODE &&
		   (strncmp(s->spec2006, et, elen) ||
		    (s->spec2006[elen] && s->spec2006[elen] != ' '))) {
		if (asprintf(
			    &text,
			    "the 2006 spec says %s; today's kernel gives %s: %s",
			    s->spec2006, et, s->origin) < 0)
			text = NULL;
	}
	return text;
}

static char *join(const char *a, const char *b)
{
	char *out;

	if (!a || !*a)
		return b ? strdup(b) : NULL;
	if (!b || !*b)
		return strdup(a);
	return asprintf(&out, "%s\n%s", a, b) < 0 ? NULL : out;
}

struct runner {
	const struct pmig_conform_opts *o;
	const struct machine *m;
	struct pmig_rnd_machine rnd; /* what random scenarios may use */
	struct pmig_run *run;
	size_t number;
	uid_t nobody_uid;
	gid_t nobody_gid;
	struct pmig_kmsg kmsg; /* what the kernel logs while a case runs */
	/* Whose profile entries apply: the profile's version, this machine's arch and page size. */
	struct pmig_platform on;
	int progress_fd; /* PMIG_PROGRESS: which case runs, for whoever watches; or -1 */
	int covmark_err; /* the first coverage mark that failed (pmig vm --coverage) */
	unsigned run_number; /* 1 for this process' first run, 2 for its second (--repeat) */
};

/*
 * PMIG_CONFORM_FLIP=ID fails the case ID on purpose in every second run of
 * one process: the way to prove that pmig conform --repeat finds a case
 * whose outcome changes (scripts/tests/repeat.t). Never set in a real run.
 */
static bool flipped_on_purpose(const struct runner *r, const char *id)
{
	const char *flip = getenv("PMIG_CONFORM_FLIP");

	return flip && !strcmp(flip, id) && r->run_number % 2 == 0;
}

/*
 * A coverage epoch (covmark.h): a case's is its place in the run plus 2
 * (its TAP number plus 1), the runner's own is 1. A failed mark is said
 * once.
 */
static void covmark(struct runner *r, unsigned id, const char *label)
{
	int err = pmig_cov_mark(id, label);

	if (err < 0 && !r->covmark_err) {
		r->covmark_err = err;
		printf("# coverage: cannot mark epoch %u (%s): %s; the kernel code it runs counts for the epoch before\n",
		       id, label, strerror(-err));
	}
}

/*
 * Before a case: its name to PMIG_PROGRESS, in one write, so that a guest
 * that dies in it still tells the host where (pmig vm reads the line from
 * its channel), and the kernel log's mark.
 */
static void case_begins(struct runner *r, const char *name)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "PMIG-CASE %s\n", name);

	/* Under pmig vm --coverage, the kernel code from here on is this case's. */
	covmark(r, PMIG_COVMARK_FIRST_CASE + (unsigned)r->number, name);

	if (r->progress_fd >= 0 && n > 0 && (size_t)n < sizeof(line) &&
	    write(r->progress_fd, line, (size_t)n) < 0) {
		close(r->progress_fd);
		r->progress_fd = -1;
	}
	pmig_kmsg_mark(&r->kmsg);
}

/*
 * After a case: a WARN, BUG, oops or new taint bit while it ran fails it,
 * whatever it checked itself. *@reason and *@diag are replaced by
 * malloc'ed texts the caller frees.
 */
static void case_ends(struct runner *r, struct pmig_result *res, char **reason,
		      char **diag)
{
	char *text, *d, *why;
	size_t first;

	covmark(r, PMIG_COVMARK_RUNNER, "runner");
	text = pmig_kmsg_collect(&r->kmsg);

	if (!text)
		return;
	first = strcspn(text, "\n");
	if (res->outcome != PMIG_FAIL && res->outcome != PMIG_ERROR) {
		res->outcome = PMIG_FAIL;
		if (asprintf(&why, "the kernel reported during this case: %.*s",
			     (int)first, text) >= 0) {
			free(*reason);
			*reason = why;
			res->reason = why;
		}
	}
	if (asprintf(&d, "%s%skernel log during this case:\n%s",
		     *diag ? *diag : "", *diag ? "\n" : "", text) >= 0) {
		free(*diag);
		*diag = d;
		res->diag = d;
	}
	free(text);
}

static void run_one(const struct pmig_case *c, void *arg)
{
	struct runner *r = arg;
	const struct pmig_spec *s = pmig_spec_find(c->id);
	const struct pmig_profile_entry *ov, *xf;
	struct pmig_sandbox_status st = { .outcome = PMIG_ERROR };
	struct pmig_result res = { .name = c->id };
	char why[640], *note, *diag = NULL, *reason = NULL;
	struct pmig_ctx ctx = {
		.spec = s,
		.home = (int)r->m->nodes[0],
		.other = r->m->nnodes > 1 ? (int)r->m->nodes[1] : -1,
		.offline = r->m->offline,
		.cpuless = r->m->cpuless,
		.memoryless = r->m->memoryless,
		.lower = r->m->lower,
		.nobody_uid = r->nobody_uid,
		.nobody_gid = r->nobody_gid,
		.seed = r->o->seed,
		.arg = c->arg,
		.flags = c->flags,
	};
	struct pmig_sandbox sb = {
		.timeout_ms = c->timeout_ms ? c->timeout_ms : r->o->timeout_ms,
		.drop_caps = c->drop_caps,
	};
	struct call call = { c, &ctx };
	struct timespec t0;
	size_t mark = SIZE_MAX;
	bool one_tier;

	ov = pmig_profile_lookup(pmig_profiles, pmig_profile_count, c->id,
				 &r->on, false);
	xf = pmig_profile_lookup(pmig_profiles, pmig_profile_count, c->id,
				 &r->on, true);
	ctx.expect = ov ? ov->expect : s->expect;
	one_tier = ov && ov->expect == PMIG_EXPECT_STAYS &&
		   (s->needs & PMIG_NEED_LOWER_TIER);
	if (s->needs & PMIG_NEED_LOWER_TIER)
		ctx.lower = lower_tier_for(r->m, one_tier, why, sizeof(why));
	note = explain(s, ctx.expect, ov);
	clock_gettime(CLOCK_REALTIME, &t0);
	res.start = t0.tv_sec + t0.tv_nsec / 1e9;
	case_begins(r, c->id);

	if (c->oops_when_buggy && xf && !r->o->allow_oops) {
		snprintf(
			why, sizeof(why),
			"this kernel has the known bug, which oopses it (%s); pmig conform --allow-oops runs the case",
			xf->cite);
		res.outcome = PMIG_SKIP;
		res.reason = why;
	} else if (unmet_need(r->m, s->needs, one_tier, why, sizeof(why))) {
		res.outcome = PMIG_SKIP;
		res.reason = why;
	} else if (apply_case_settings(c, &ctx, &mark, why, sizeof(why))) {
		res.outcome = PMIG_SKIP;
		res.reason = why;
	} else if (pmig_sandbox_run(&sb, call_case, &call, &st)) {
		res.outcome = PMIG_ERROR;
		res.reason = "cannot fork the case process";
	} else {
		res.outcome = st.outcome;
		res.reason = st.reason;
		res.duration = st.duration;
	}
	/* A case killed at its time limit leaves its cpuset to a janitor. */
	pmig_cpuset_settle();
	if (mark != SIZE_MAX)
		pmig_settings_restore_to(mark);
	if (xf && (res.outcome == PMIG_FAIL || res.outcome == PMIG_PASS)) {
		bool failed = res.outcome == PMIG_FAIL;

		res.outcome = failed ? PMIG_XFAIL : PMIG_XPASS;
		if (asprintf(&reason, "%s%s%s",
			     failed ? "known bug: " :
				      "known bug did not show: ",
			     xf->cite, "") >= 0)
			res.reason = reason;
	}
	if (flipped_on_purpose(r, c->id)) {
		res.outcome = PMIG_FAIL;
		res.reason = "failed on purpose (PMIG_CONFORM_FLIP)";
	}
	diag = join(note, st.diag);
	res.diag = diag;
	case_ends(r, &res, &reason, &diag);
	pmig_run_add(r->run, &res);
	pmig_tap_result(stdout, ++r->number, &res);
	free(reason);
	free(diag);
	free(note);
	pmig_sandbox_status_free(&st);
}

/* One random scenario, in a sandbox like a case, as TAP line random.<seed>.<id>. */
static void run_random(struct runner *r, uint64_t id)
{
	struct pmig_rnd_env env = {
		.machine = r->rnd,
		.seed = r->o->seed,
		.id = id,
		.cap_sys_nice = r->m->root,
		.kver = r->o->profile,
	};
	struct pmig_sandbox sb = { .timeout_ms = r->o->timeout_ms };
	struct pmig_sandbox_status st = { .outcome = PMIG_ERROR };
	char name[64], *reason = NULL, *diag = NULL;
	struct pmig_result res = { .name = name };
	struct timespec t0;

	snprintf(name, sizeof(name), "random.%llu.%llu",
		 (unsigned long long)env.seed, (unsigned long long)id);
	clock_gettime(CLOCK_REALTIME, &t0);
	res.start = t0.tv_sec + t0.tv_nsec / 1e9;
	case_begins(r, name);
	if (pmig_sandbox_run(&sb, pmig_rnd_run, &env, &st)) {
		res.outcome = PMIG_ERROR;
		res.reason = "cannot fork the scenario process";
	} else {
		res.outcome = st.outcome;
		res.reason = st.reason;
		res.duration = st.duration;
		diag = st.diag ? strdup(st.diag) : NULL;
		res.diag = diag;
	}
	case_ends(r, &res, &reason, &diag);
	pmig_run_add(r->run, &res);
	pmig_tap_result(stdout, ++r->number, &res);
	free(reason);
	free(diag);
	pmig_sandbox_status_free(&st);
}

/*
 * Before the first scenario: the nodes scenarios use, the settings they
 * need, and the kinds this machine can build, printed so that a replay
 * can be run on a machine that offers the same. Returns the settings mark.
 */
static size_t prepare_random(struct runner *r)
{
	struct pmig_rnd_machine *m = &r->rnd;
	char avail[64];
	size_t mark;

	m->offline = r->m->offline;
	m->sizes = *pmig_page_sizes();
	m->arch = r->on.arch;
	for (size_t i = 0; i < r->m->nnodes && i < PMIG_RND_MAX_NODES; i++)
		m->nodes[m->nnodes++] = (int)r->m->nodes[i];
	mark = pmig_rnd_prepare(m, r->m->root, stdout);
	pmig_rnd_format_machine(m, avail, sizeof(avail));
	printf("# random scenarios: this machine offers %s, offline node %d; a scenario is a function of (seed, id), the memory nodes and these\n",
	       avail, m->offline);
	return mark;
}

static const struct pmig_setting quiet_settings[] = {
	/* Automatic NUMA balancing would move pages under the cases' feet. */
	{ "/proc/sys/kernel/numa_balancing", "0", PMIG_SR_OPTIONAL },
};

int pmig_conform_run(const struct pmig_conform_opts *o, struct pmig_run **out)
{
	static unsigned runs_in_process;
	struct machine m = { 0 };
	struct runner r = { .o = o,
			    .m = &m,
			    .progress_fd = -1,
			    .run_number = ++runs_in_process,
			    .on = pmig_platform_here(o->profile) };
	const struct pmig_page_sizes *ps = pmig_page_sizes();
	char base[16], thp[16], htlb[16];
	const char *progress = getenv("PMIG_PROGRESS");
	char kv[16], nodes[256] = "";
	size_t plan, mark, rmark, used = 0;
	int err = learn_machine(&m);

	if (err)
		return err;
	r.run = pmig_run_new("pmig.conform");
	if (!r.run)
		return -ENOMEM;
	pmig_priv_unprivileged_ids(&r.nobody_uid, &r.nobody_gid);
	for (size_t i = 0; i < m.nnodes; i++)
		used += (size_t)snprintf(nodes + used, sizeof(nodes) - used,
					 "%s%u", i ? "," : "", m.nodes[i]);
	pmig_kver_format(o->profile, kv, sizeof(kv));
	/* Where it ran, in KCIDB too (JUnit's hostname attribute prefers it). */
	pmig_run_set_meta(r.run, "hostname", m.hostname);
	pmig_run_set_meta(r.run, "kernel", m.release);
	pmig_run_set_meta(r.run, "profile", kv);
	pmig_run_set_meta(r.run, "memory_nodes", nodes);

	plan = o->random ? o->random : pmig_cases_each(o->filter, NULL, NULL);
	pmig_tap_begin(stdout, plan);
	printf("# pmig conform: kernel %s, expectations of %s%s, memory nodes %s, seed %llu\n",
	       m.release, kv, o->profile_forced ? " (forced by --profile)" : "",
	       nodes, (unsigned long long)o->seed);
	printf("# pages: base %s, THP %s, hugetlb %s; profile entries of %s and %s pages apply\n",
	       pmig_size_format(ps->base, base, sizeof(base)),
	       ps->thp ? pmig_size_format(ps->thp, thp, sizeof(thp)) : "none",
	       ps->hugetlb ? pmig_size_format(ps->hugetlb, htlb, sizeof(htlb)) :
			     "none",
	       r.on.arch ? r.on.arch : "no known architecture", base);
	if (o->note && *o->note)
		printf("# %s\n", o->note);
	if (m.root && pmig_settings_apply(quiet_settings, 1, &mark) == 0)
		printf("# kernel.numa_balancing set to 0 for the run\n");
	else
		mark = SIZE_MAX;
	rmark = o->random ? prepare_random(&r) : SIZE_MAX;
	err = pmig_kmsg_open(&r.kmsg, NULL, NULL);
	if (err)
		printf("# kernel log not watched: cannot read /dev/kmsg (%s); a case fails on new taint bits only\n",
		       strerror(-err));
	if (progress && *progress)
		r.progress_fd = open(progress, O_WRONLY | O_APPEND | O_NOCTTY |
						       O_CLOEXEC);
	covmark(&r, PMIG_COVMARK_RUNNER, "runner");
	fflush(stdout);
	if (o->random)
		for (uint64_t k = 0; k < o->random; k++)
			run_random(&r, o->scenario + k);
	else
		pmig_cases_each(o->filter, run_one, &r);
	pmig_kmsg_close(&r.kmsg);
	if (r.progress_fd >= 0)
		close(r.progress_fd);
	if (rmark != SIZE_MAX)
		pmig_settings_restore_to(rmark);
	if (mark != SIZE_MAX)
		pmig_settings_restore_to(mark);
	pmig_tap_end(stdout, r.run);
	*out = r.run;
	return 0;
}
