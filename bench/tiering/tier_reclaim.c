/* tier_reclaim.c - demote_reclaim: proactive reclaim (memory.reclaim) with demotion on pushes the near node's cold pages to the slower tier. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuset.h"
#include "journal.h"
#include "settings.h"
#include "undo.h"
#include "tier_strategy.h"

#define DEMOTION "/sys/kernel/mm/numa/demotion_enabled"

struct reclaim {
	char file[1024]; /* the memory.reclaim written to */
	char cgroup[512]; /* its cgroup, as /proc/self/cgroup names it */
	bool mounted; /* root is cgroup2 mounted by this run */
	char root[256];
	pmig_jid jid;
	size_t chunk; /* bytes asked per tick */
	unsigned long writes, again;
};

static struct reclaim state;
static bool hooked;

static void unmount_at_exit(int sig);

/* The first cgroup2 mount, else one of pmig's (undone after the run, and by the journal after a kill). */
static int cgroup2_root(struct reclaim *rc, char *root, size_t len, char *why,
			size_t wlen)
{
	int ret = pmig_cgroup2_where(root, len, why, wlen);

	if (ret == 2)
		ret = pmig_cgroup2_mount(&rc->jid, why, wlen);
	else if (ret == 0)
		return 0;
	if (ret)
		return -1;
	rc->mounted = true;
	snprintf(rc->root, sizeof(rc->root), "%s", root);
	if (!hooked)
		hooked = !pmig_settings_on_exit(unmount_at_exit);
	return 0;
}

/* This process's own cgroup's memory.reclaim (only its pages), else the root's. */
static int find_reclaim(struct reclaim *rc, char *why, size_t len)
{
	char root[256], path[256];

	if (cgroup2_root(rc, root, sizeof(root), why, len))
		return -1;
	pmig_cgroup_own(path, sizeof(path));
	if (strcmp(path, "/")) {
		snprintf(rc->file, sizeof(rc->file), "%s%s/memory.reclaim",
			 root, path);
		snprintf(rc->cgroup, sizeof(rc->cgroup), "%s", path);
		if (!access(rc->file, W_OK))
			return 0;
	}
	snprintf(rc->file, sizeof(rc->file), "%s/memory.reclaim", root);
	snprintf(rc->cgroup, sizeof(rc->cgroup), "/");
	if (!access(rc->file, W_OK))
		return 0;
	snprintf(
		why, len,
		"no memory.reclaim in %s (cgroup v2 proactive reclaim: 5.19 and later)",
		root);
	return -1;
}

/* On a signal too: the mount goes with the run (umount(2) is async-signal-safe). */
static void unmount_at_exit(int sig)
{
	(void)sig;
	if (state.mounted && !umount(state.root)) {
		state.mounted = false;
		if (!sig)
			pmig_journal_undone(state.jid);
	}
}

static void unmount_private(struct reclaim *rc)
{
	if (rc->mounted && pmig_undo_unmount(rc->root, "cgroup2", NULL, 0) >= 0)
		pmig_journal_undone(rc->jid);
	rc->mounted = false;
}

static int prepare(struct pmig_tier_run *r)
{
	const struct pmig_tier_case *c = r->c;
	struct reclaim *rc = &state;
	char why[512];
	int ret;

	memset(rc, 0, sizeof(*rc));
	r->priv = rc;
	if (!c->tiered) {
		pmig_bench_unavailable(
			r->st,
			"nodes %d and %d are in the same memory tier here: demotion has no target (a CPU-less node present at boot gets a slower tier from its HMAT latency from 6.10 on, cf93be18fa1b; pmig topo lists the tiers)",
			c->near, c->far);
		return -1;
	}
	if (access(DEMOTION, W_OK)) {
		pmig_bench_unavailable(r->st,
				       "no %s (memory tiering, 5.15 and later)",
				       DEMOTION);
		return -1;
	}
	if (find_reclaim(rc, why, sizeof(why))) {
		unmount_private(rc);
		pmig_bench_unavailable(r->st, "%s", why);
		return -1;
	}
	ret = pmig_settings_scope_apply(&r->settings, DEMOTION, "true");
	if (ret) {
		unmount_private(rc);
		pmig_bench_unavailable(r->st, "cannot enable demotion: %s",
				       strerror(-ret));
		return -1;
	}
	/* A quarter of the cold pages per tick: several steps to watch, few enough ticks. */
	rc->chunk = (r->pages.count - r->nhot) * r->pages.page_size / 4;
	pmig_bench_note_text(r->st, "reclaim_cgroup", rc->cgroup);
	pmig_bench_note_num(r->st, "reclaim_chunk", (double)rc->chunk);
	return 0;
}

static int step(struct pmig_tier_run *r)
{
	struct reclaim *rc = r->priv;
	char amount[32];
	int fd, n;

	snprintf(amount, sizeof(amount), "%zu", rc->chunk);
	fd = open(rc->file, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		pmig_bench_fail(r->st, "cannot open memory.reclaim: %s",
				strerror(errno));
		return -1;
	}
	n = (int)write(fd, amount, strlen(amount));
	/* EAGAIN: less than asked could be reclaimed; the watch says what moved. */
	if (n < 0 && errno == EAGAIN)
		rc->again++;
	else if (n < 0) {
		pmig_bench_fail(r->st, "memory.reclaim: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	rc->writes++;
	return 0;
}

static void cleanup(struct pmig_tier_run *r)
{
	struct reclaim *rc = r->priv;

	pmig_bench_note_num(r->st, "reclaim_writes", (double)rc->writes);
	pmig_bench_note_num(r->st, "reclaim_eagain", (double)rc->again);
	unmount_private(rc);
}

const struct pmig_tier_strategy pmig_tier_demote_reclaim = {
	.name = "demote_reclaim",
	.workloads = PMIG_TIER_WL(PMIG_TIER_DEMOTE),
	.kthreads = "kswapd",
	.prepare = prepare,
	.step = step,
	.cleanup = cleanup,
};
