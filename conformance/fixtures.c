/* fixtures.c - setup steps cases share: pages, target processes, user switches, guard pages. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "pageinfo.h"
#include "priv.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

void pmig_pages_setup(struct pmig_pages *p, enum pmig_page_kind kind,
		      size_t count, int node, unsigned long long seed)
{
	int err = pmig_pages_create(p, kind, count, node, seed);

	if (err)
		pmig_broken("cannot create %zu %s pages on node %d: %s", count,
			    pmig_page_kind_name(kind), node, strerror(-err));
}

void pmig_target_setup(const struct pmig_ctx *ctx, struct pmig_target *t,
		       long how)
{
	struct pmig_target_opts o = {
		.node = ctx->home,
		.set_user = how & PMIG_TARGET_NOBODY,
		.uid = ctx->nobody_uid,
		.gid = ctx->nobody_gid,
		.dumpable = !(how & PMIG_TARGET_UNDUMPABLE),
	};
	int err = pmig_target_start(t, &o);

	if (err)
		pmig_broken("cannot start a target process: %s",
			    strerror(-err));
}

void pmig_become_nobody(const struct pmig_ctx *ctx)
{
	int err = pmig_priv_become_user(ctx->nobody_uid, ctx->nobody_gid);

	if (err)
		pmig_broken("cannot become uid %u: %s",
			    (unsigned)ctx->nobody_uid, strerror(-err));
}

void *pmig_guard_page(int prot)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	char *p = pmig_map(ps, false);

	if (!p)
		pmig_broken("mmap: %s", strerror(errno));
	if (prot == PROT_NONE ? munmap(p, ps) : mprotect(p, ps, prot))
		pmig_broken("cannot make the guard page: %s", strerror(errno));
	return p;
}

pid_t pmig_sharer_setup(const struct pmig_pages *p)
{
	pid_t pid = pmig_sharer_start(p->base, p->count * p->page_size,
				      p->page_size);

	if (pid < 0)
		pmig_broken("cannot start a sharer: %s", strerror((int)-pid));
	return pid;
}

struct pmig_nodemask pmig_nodemask_of(int node)
{
	struct pmig_nodemask m = { { 0 } };
	size_t per = 8 * sizeof(unsigned long);

	if (node >= 0 && node < PMIG_MASK_BITS)
		m.bits[node / per] |= 1UL << (node % per);
	return m;
}

struct pmig_nodemask pmig_nodemask_of2(int a, int b)
{
	struct pmig_nodemask m = pmig_nodemask_of(a), mb = pmig_nodemask_of(b);

	for (size_t i = 0; i < sizeof(m.bits) / sizeof(m.bits[0]); i++)
		m.bits[i] |= mb.bits[i];
	return m;
}

long pmig_migrate_one(pid_t pid, int from, int to)
{
	struct pmig_nodemask old = pmig_nodemask_of(from),
			     new = pmig_nodemask_of(to);

	return pmig_migrate_pages(pid, PMIG_MASK_MAXNODE, old.bits, new.bits);
}

void pmig_diag_left_on(int node)
{
	char line[1024], tag[16];
	FILE *f = fopen("/proc/self/numa_maps", "r");

	if (!f)
		return;
	snprintf(tag, sizeof(tag), " N%d=", node);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, tag)) {
			line[strcspn(line, "\n")] = '\0';
			pmig_diag("still on node %d: %s", node, line);
		}
	fclose(f);
}

/*
 * A /proc/vmstat counter, or -1 when this kernel has none of that name.
 * Node counters (pgpromote_success, pgdemote_*) keep per-CPU deltas below
 * a threshold out of /proc/vmstat until vmstat_update() folds them, once
 * a second; a write to /proc/sys/vm/stat_refresh folds them now
 * (Documentation/admin-guide/sysctl/vm.rst, stat_refresh).
 */
long long pmig_vmstat(const char *name)
{
	char key[64];
	long long value, found = -1;
	int err = pmig_sysfile_write("/proc/sys/vm/stat_refresh", "1");
	FILE *f;

	if (err)
		pmig_broken("cannot write /proc/sys/vm/stat_refresh: %s",
			    strerror(-err));
	f = fopen("/proc/vmstat", "re");
	if (!f)
		pmig_broken("cannot open /proc/vmstat: %s", strerror(errno));
	while (fscanf(f, "%63s %lld", key, &value) == 2)
		if (!strcmp(key, name)) {
			found = value;
			break;
		}
	fclose(f);
	return found;
}

long long pmig_node_meminfo(int node, const char *field)
{
	char path[96], line[160], key[48];
	long long kb = -1, v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "re");
	if (!f)
		pmig_broken("cannot open %s: %s", path, strerror(errno));
	while (kb < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d %47[^:]: %lld kB", key, &v) == 2 &&
		    !strcmp(key, field))
			kb = v;
	fclose(f);
	if (kb < 0)
		pmig_broken("no %s in %s", field, path);
	return kb << 10;
}

bool pmig_frame_on(uint64_t pfn, size_t page_size, int node)
{
	int on = pmig_frame_on_node(pfn, page_size, node);

	if (on < 0)
		pmig_skip(
			"cannot read /sys/devices/system/memory/block_size_bytes: %s",
			strerror(-on));
	return on == 1;
}
