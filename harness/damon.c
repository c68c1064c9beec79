/* damon.c - sets up, reads and tears down one DAMON kdamond with one scheme through /sys/kernel/mm/damon/admin. */
#include "damon.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "sysfile.h"

#define KD PMIG_DAMON_ADMIN "/kdamonds"
#define CTX KD "/0/contexts/0"
#define SCHEME CTX "/schemes/0"
/*
 * DAMON_STAT (mm/damon/stat.c, on by default where the kernel is built with
 * CONFIG_DAMON_STAT_ENABLED_DEFAULT, as Debian's 7.x are) starts its
 * kdamond exclusively, and every other damon_start() then gets -EBUSY.
 */
#define DAMON_STAT "/sys/module/damon_stat/parameters/enabled"

/* The settings one start writes, in order; paths and values live here until restored. */
struct step {
	char path[160];
	char value[32];
};

static int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}

int pmig_damon_available(char *why, size_t len)
{
	char n[32];

	if (access(PMIG_DAMON_ADMIN, F_OK)) {
		snprintf(
			why, len,
			"no DAMON sysfs interface (%s: CONFIG_DAMON_SYSFS, 5.18 and later)",
			PMIG_DAMON_ADMIN);
		return 1;
	}
	if (read_text(KD "/nr_kdamonds", n, sizeof(n))) {
		snprintf(why, len, "cannot read %s/nr_kdamonds: %s", KD,
			 strerror(errno));
		return 1;
	}
	if (strcmp(n, "0")) {
		snprintf(
			why, len,
			"DAMON already has %s kdamond(s) configured by someone else; pmig leaves them alone",
			n);
		return 1;
	}
	return 0;
}

static void add_text(struct step *s, size_t *n, const char *path,
		     const char *text)
{
	snprintf(s[*n].path, sizeof(s[*n].path), "%s", path);
	snprintf(s[*n].value, sizeof(s[*n].value), "%s", text);
	(*n)++;
}

static void add(struct step *s, size_t *n, const char *path, unsigned long v)
{
	char text[24];

	snprintf(text, sizeof(text), "%lu", v);
	add_text(s, n, path, text);
}

/* The files a start writes, parents before children, the kdamond's state last. */
static size_t plan(const struct pmig_damon_scheme *d, struct step *s)
{
	char p[160], stat[8];
	size_t n = 0;

	if (!read_text(DAMON_STAT, stat, sizeof(stat)) && !strcmp(stat, "Y"))
		add_text(s, &n, DAMON_STAT, "N");
	add(s, &n, KD "/nr_kdamonds", 1);
	add(s, &n, KD "/0/contexts/nr_contexts", 1);
	add_text(s, &n, CTX "/operations", d->ops);
	if (d->sample_us)
		add(s, &n, CTX "/monitoring_attrs/intervals/sample_us",
		    d->sample_us);
	if (d->aggr_us)
		add(s, &n, CTX "/monitoring_attrs/intervals/aggr_us",
		    d->aggr_us);
	if (d->update_us)
		add(s, &n, CTX "/monitoring_attrs/intervals/update_us",
		    d->update_us);
	if (d->min_nr_regions)
		add(s, &n, CTX "/monitoring_attrs/nr_regions/min",
		    d->min_nr_regions);
	if (d->max_nr_regions)
		add(s, &n, CTX "/monitoring_attrs/nr_regions/max",
		    d->max_nr_regions);
	add(s, &n, CTX "/targets/nr_targets", 1);
	if (strcmp(d->ops, "paddr"))
		add(s, &n, CTX "/targets/0/pid_target", (unsigned long)d->pid);
	if (d->nregions) {
		add(s, &n, CTX "/targets/0/regions/nr_regions", d->nregions);
		for (size_t i = 0; i < d->nregions; i++) {
			snprintf(p, sizeof(p),
				 CTX "/targets/0/regions/%zu/start", i);
			add(s, &n, p, d->regions[i].start);
			snprintf(p, sizeof(p), CTX "/targets/0/regions/%zu/end",
				 i);
			add(s, &n, p, d->regions[i].end);
		}
	}
	add(s, &n, CTX "/schemes/nr_schemes", 1);
	add_text(s, &n, SCHEME "/action", d->action);
	if (d->target_nid >= 0)
		add(s, &n, SCHEME "/target_nid", (unsigned long)d->target_nid);
	/* Every bound written: a scheme directory's maximums start at 0 on some kernels (7.3). */
	add(s, &n, SCHEME "/access_pattern/sz/min", 0);
	add_text(s, &n, SCHEME "/access_pattern/sz/max",
		 "18446744073709551615");
	add(s, &n, SCHEME "/access_pattern/nr_accesses/min",
	    d->min_nr_accesses);
	add(s, &n, SCHEME "/access_pattern/nr_accesses/max",
	    d->max_nr_accesses);
	add(s, &n, SCHEME "/access_pattern/age/min", d->min_age);
	add(s, &n, SCHEME "/access_pattern/age/max", d->max_age);
	add_text(s, &n, KD "/0/state", "on");
	return n;
}

/* Why a step failed, in the words a user needs. */
static int explain(const struct step *s, int err, char *why, size_t len)
{
	const char *file = strrchr(s->path, '/') + 1;

	if (!strcmp(s->path, DAMON_STAT)) {
		snprintf(why, len,
			 "DAMON_STAT holds DAMON and could not be paused: %s",
			 strerror(-err));
		return 1;
	}
	if (err == -ENOENT) {
		snprintf(why, len, "this kernel's DAMON has no %s (%s)", file,
			 s->path);
		return 1;
	}
	if (err == -EINVAL && !strcmp(file, "action")) {
		snprintf(why, len, "this kernel's DAMON has no '%s' action",
			 s->value);
		return 1;
	}
	if (err == -EINVAL && !strcmp(file, "operations")) {
		snprintf(why, len,
			 "this kernel's DAMON has no '%s' operations set",
			 s->value);
		return 1;
	}
	if (!strcmp(file, "state")) {
		snprintf(why, len, "DAMON refused to start the scheme: %s",
			 strerror(-err));
		return PMIG_DAMON_REFUSED;
	}
	snprintf(why, len, "cannot write '%s' to %s: %s", s->value, s->path,
		 strerror(-err));
	return err;
}

int pmig_damon_start(const struct pmig_damon_scheme *d,
		     struct pmig_settings_scope *scope, char *why, size_t len)
{
	static struct step steps[24 + 2 * PMIG_DAMON_MAX_REGIONS];
	size_t n;
	int ret;

	*scope = (struct pmig_settings_scope){ 0 };
	ret = pmig_damon_available(why, len);
	if (ret)
		return ret;
	if (d->nregions > PMIG_DAMON_MAX_REGIONS) {
		snprintf(why, len, "more than %d DAMON regions",
			 PMIG_DAMON_MAX_REGIONS);
		return -EINVAL;
	}
	n = plan(d, steps);
	/* One at a time: a refusal names its file. */
	for (size_t i = 0; i < n; i++) {
		ret = pmig_settings_scope_apply(scope, steps[i].path,
						steps[i].value);
		if (ret) {
			pmig_settings_scope_restore(scope);
			return explain(&steps[i], ret, why, len);
		}
	}
	return 0;
}

pid_t pmig_damon_kdamond_pid(void)
{
	char buf[32];

	if (read_text(KD "/0/pid", buf, sizeof(buf)))
		return -1;
	return (pid_t)strtol(buf, NULL, 10);
}

int pmig_damon_stats(struct pmig_damon_stats *st)
{
	static const char *const names[] = { "nr_tried", "sz_tried",
					     "nr_applied", "sz_applied",
					     "qt_exceeds" };
	unsigned long long *v[] = { &st->nr_tried, &st->sz_tried,
				    &st->nr_applied, &st->sz_applied,
				    &st->qt_exceeds };
	char path[160], buf[32];
	int err = pmig_sysfile_write(KD "/0/state", "update_schemes_stats");

	if (err)
		return err;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), SCHEME "/stats/%s", names[i]);
		err = read_text(path, buf, sizeof(buf));
		if (err)
			return err;
		*v[i] = strtoull(buf, NULL, 10);
	}
	return 0;
}

void pmig_damon_stop(struct pmig_settings_scope *scope)
{
	pmig_settings_scope_restore(scope);
}

static int by_start(const void *a, const void *b)
{
	const struct pmig_damon_region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int pmig_damon_node_ranges(int node, struct pmig_damon_region *out, size_t max)
{
	struct pmig_damon_region blocks[4096];
	char dir[96], buf[32];
	unsigned long bs;
	struct dirent *e;
	size_t n = 0, m = 0;
	DIR *d;
	int err;

	err = read_text("/sys/devices/system/memory/block_size_bytes", buf,
			sizeof(buf));
	if (err)
		return err;
	bs = strtoul(buf, NULL, 16);
	snprintf(dir, sizeof(dir), "/sys/devices/system/node/node%d", node);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < sizeof(blocks) / sizeof(blocks[0])) {
		unsigned long id;
		char rest;

		if (sscanf(e->d_name, "memory%lu%c", &id, &rest) != 1)
			continue;
		blocks[n].start = id * bs;
		blocks[n++].end = (id + 1) * bs;
	}
	closedir(d);
	if (!n)
		return -ENOENT;
	qsort(blocks, n, sizeof(blocks[0]), by_start);
	for (size_t i = 0; i < n; i++) {
		if (m && out[m - 1].end == blocks[i].start) {
			out[m - 1].end = blocks[i].end;
			continue;
		}
		if (m == max)
			return -E2BIG;
		out[m++] = blocks[i];
	}
	return (int)m;
}
