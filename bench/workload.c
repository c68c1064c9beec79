/* workload.c - makes a benchmark's pages on the from node and what they need; undoes it after the run. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pageinfo.h"
#include "pagesizes.h"
#include "procs.h"
#include "settings.h"
#include "syscalls.h"
#include "sysfile.h"
#include "workload.h"

#define KPF_THP 22 /* <linux/kernel-page-flags.h> */
#define THP_DIR "/sys/kernel/mm/transparent_hugepage"
#define THP_ENABLED THP_DIR "/enabled"

static const struct {
	const char *name;
	enum pmig_page_kind kind;
} wls[PMIG_WL_COUNT] = {
	[PMIG_WL_ANON] = { "anon", PMIG_PAGE_ANON },
	[PMIG_WL_THP] = { "thp", PMIG_PAGE_THP },
	[PMIG_WL_HUGETLB] = { "hugetlb", PMIG_PAGE_HUGETLB },
	[PMIG_WL_SHMEM] = { "shmem", PMIG_PAGE_SHARED_ANON },
	[PMIG_WL_FILE_CLEAN] = { "file-clean", PMIG_PAGE_FILE_CLEAN },
	[PMIG_WL_FILE_DIRTY] = { "file-dirty", PMIG_PAGE_FILE_DIRTY },
	[PMIG_WL_SHARED] = { "shared", PMIG_PAGE_SHARED_ANON },
	[PMIG_WL_MTHP] = { "mthp", PMIG_PAGE_THP },
};

const char *pmig_wl_name(enum pmig_wl wl)
{
	return (unsigned)wl < PMIG_WL_COUNT ? wls[wl].name : NULL;
}

enum pmig_page_kind pmig_wl_kind(enum pmig_wl wl)
{
	return wls[wl].kind;
}

/* Enough free hugetlb pages on @node for @count more; raises its pool if needed. */
static int hugetlb_pool(struct pmig_bench_ctx *x, int node, size_t count)
{
	size_t kb = pmig_page_sizes()->hugetlb >> 10;
	char path[128], value[32];
	long free = pmig_hugetlb_free(node), total;
	int ret;

	if (free >= 0 && (size_t)free >= count)
		return 0;
	total = pmig_hugetlb_node_path(path, sizeof(path), node, kb << 10,
				       "nr_hugepages");
	if (!total)
		total = pmig_read_number(path);
	if (!kb || free < 0 || total < 0) {
		pmig_bench_unavailable(
			x->st, "no %zu KiB hugetlb pool on node %d", kb, node);
		return -1;
	}
	snprintf(value, sizeof(value), "%ld", total + (long)count - free);
	ret = pmig_settings_scope_apply(&x->settings, path, value);
	free = pmig_hugetlb_free(node);
	if (ret || free < 0 || (size_t)free < count) {
		pmig_bench_unavailable(
			x->st,
			"node %d has %ld free %zu KiB hugetlb pages, %zu needed (%s)",
			node, free, kb, count,
			ret ? strerror(-ret) : "the pool did not grow");
		return -1;
	}
	return 0;
}

static int thp_mode(struct pmig_bench_ctx *x)
{
	char buf[128] = "";
	FILE *f = fopen(THP_ENABLED, "re");
	int ret;

	if (!f) {
		pmig_bench_unavailable(x->st, "no THP in this kernel");
		return -1;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (!strstr(buf, "[never]"))
		return 0;
	ret = pmig_settings_scope_apply(&x->settings, THP_ENABLED, "madvise");
	if (ret) {
		pmig_bench_unavailable(
			x->st, "THP is off and cannot be set to madvise: %s",
			strerror(-ret));
		return -1;
	}
	return 0;
}

/*
 * Multi-size THP of PMIG_MTHP_BENCH_BYTES on request, every other size off:
 * each hugepages-<kB>kB/enabled through the settings scope (journaled,
 * restored after the run), so that a MADV_HUGEPAGE fault takes a folio of
 * that size and no other, the PMD size's included.
 */
static int mthp_mode(struct pmig_bench_ctx *x)
{
	size_t kb = PMIG_MTHP_BENCH_BYTES >> 10, base = pmig_page_sizes()->base;
	char path[384], now[32];
	struct dirent *d;
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), THP_DIR "/hugepages-%zukB", kb);
	if (PMIG_MTHP_BENCH_BYTES <= base || access(path, F_OK)) {
		pmig_bench_unavailable(
			x->st,
			PMIG_MTHP_BENCH_BYTES <= base ?
				"%zu KiB folios are not above this machine's base page" :
				"no %zu KiB THP size (%s: multi-size THP, 6.8 and later)",
			kb, path);
		return -1;
	}
	/* THP on request, as the mTHP rows have it (case_settings.h PMIG_SETTINGS_MTHP). */
	if ((ret = pmig_settings_scope_apply(&x->settings, THP_ENABLED,
					     "madvise"))) {
		pmig_bench_unavailable(x->st, "cannot set %s to madvise: %s",
				       THP_ENABLED, strerror(-ret));
		return -1;
	}
	if (!(dir = opendir(THP_DIR)))
		return -1;
	while (!ret && (d = readdir(dir))) {
		size_t size;
		const char *want;

		if (sscanf(d->d_name, "hugepages-%zukB", &size) != 1)
			continue;
		want = size == kb ? "madvise" : "never";
		snprintf(path, sizeof(path), THP_DIR "/%s/enabled", d->d_name);
		/* An order anonymous memory cannot have (order 1 on 6.11+: shmem only) has no enabled file. */
		if (access(path, F_OK) ||
		    (!pmig_sysfile_read(path, now, sizeof(now)) &&
		     !strcmp(now, want)))
			continue;
		ret = pmig_settings_scope_apply(&x->settings, path, want);
		if (ret)
			pmig_bench_unavailable(x->st,
					       "cannot write %s to %s: %s",
					       want, path, strerror(-ret));
	}
	closedir(dir);
	return ret ? -1 : 0;
}

/* Every folio of an mTHP workload is one folio of its order (kpageflags, frames). */
static int check_mthp(struct pmig_bench_ctx *x)
{
	size_t n = x->pages.page_size / pmig_page_sizes()->base;
	char why[256];

	for (size_t i = 0; i < x->pages.count; i++) {
		int order = pmig_folio_order(x->pages.addrs[i], n,
					     pmig_page_sizes()->base, why,
					     sizeof(why));

		if (order == PMIG_FOLIO_UNREADABLE && strstr(why, "kpageflags"))
			return 0; /* cannot tell without privilege */
		if (order != __builtin_ctzl(n)) {
			pmig_bench_unavailable(
				x->st,
				"%zu KiB folio %zu is not one folio of order %d (never made, or split by a migration): %s",
				x->pages.page_size >> 10, i, __builtin_ctzl(n),
				why);
			return -1;
		}
	}
	return 0;
}

int pmig_workload_check_thp(struct pmig_bench_ctx *x)
{
	if (x->c->wl == PMIG_WL_MTHP)
		return check_mthp(x);
	for (size_t i = 0; i < x->pages.count; i++) {
		uint64_t flags;
		int ret = pmig_kpageflags(x->pages.addrs[i], &flags);

		if (ret == -EPERM)
			return 0; /* cannot tell without privilege */
		if (ret || !(flags & (1ULL << KPF_THP))) {
			pmig_bench_unavailable(
				x->st,
				"%zu KiB page %zu is not a THP (never made, or split by a migration)",
				x->pages.page_size >> 10, i);
			return -1;
		}
	}
	return 0;
}

int pmig_workload_create(struct pmig_bench_ctx *x)
{
	const struct pmig_bench_case *c = x->c;
	enum pmig_page_kind kind = pmig_wl_kind(c->wl);
	const struct pmig_page_sizes *ps = pmig_page_sizes();
	size_t psize = c->wl == PMIG_WL_HUGETLB ? ps->hugetlb :
		       c->wl == PMIG_WL_THP	? ps->thp :
		       c->wl == PMIG_WL_MTHP	? PMIG_MTHP_BENCH_BYTES :
						  ps->base;
	size_t count = psize ? c->bytes / psize : 0;
	int ret;

	if (c->wl == PMIG_WL_HUGETLB && (hugetlb_pool(x, c->pair.from, count) ||
					 hugetlb_pool(x, c->pair.to, count)))
		return -1;
	if (c->wl == PMIG_WL_THP && thp_mode(x))
		return -1;
	if (c->wl == PMIG_WL_MTHP && mthp_mode(x))
		return -1;
	/* Any fixed seed: a failure reproduces. */
	if (c->wl == PMIG_WL_MTHP)
		ret = pmig_pages_create_mthp(&x->pages, psize, count,
					     c->pair.from,
					     0x706d696762656e63ULL);
	else
		ret = pmig_pages_create(&x->pages, kind, count, c->pair.from,
					0x706d696762656e63ULL);
	if (ret == -ENOSPC || ret == -ENOMEDIUM || ret == -EOPNOTSUPP) {
		pmig_bench_unavailable(
			x->st, "%s",
			ret == -ENOSPC ?
				"too few free hugetlb pages on the from node" :
			ret == -EOPNOTSUPP ?
				"no THP in this kernel" :
				"no disk-backed directory for file pages (PMIG_SCRATCH_DIR)");
		return -1;
	}
	if (ret == -EIO && x->pages.off_page >= 0) {
		char buf[16];

		pmig_bench_fail(
			x->st,
			"creating %zu %s pages on node %d: page %ld %s%s",
			count, pmig_wl_name(c->wl), c->pair.from,
			x->pages.off_page,
			x->pages.off_status >= 0 ?
				"is on node " :
				"reads in a status query as ",
			pmig_errno_text(x->pages.off_status, buf, sizeof(buf)));
		return -1;
	}
	if (ret) {
		pmig_bench_fail(x->st, "creating %zu %s pages on node %d: %s",
				count, pmig_wl_name(c->wl), c->pair.from,
				strerror(-ret));
		return -1;
	}
	x->check = &x->pages;
	if ((c->wl == PMIG_WL_THP || c->wl == PMIG_WL_MTHP) &&
	    pmig_workload_check_thp(x))
		return -1;
	if (c->wl == PMIG_WL_SHARED) {
		pid_t pid = pmig_sharer_start(x->pages.base, c->bytes, psize);

		if (pid < 0) {
			pmig_bench_fail(x->st,
					"starting the sharing process: %s",
					strerror((int)-pid));
			return -1;
		}
		x->sharer = pid;
		x->move_flags = MPOL_MF_MOVE_ALL;
	}
	return 0;
}

void pmig_workload_destroy(struct pmig_bench_ctx *x)
{
	if (x->sharer > 0)
		pmig_sharer_stop(x->sharer);
	x->sharer = 0;
	if (x->pages.addrs)
		pmig_pages_destroy(&x->pages);
	pmig_settings_scope_restore(&x->settings);
}
