/* context.c - gathers the pmig_* keys of the benchmark JSON's "context" object: where it ran, and what ran. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "context.h"
#include "gb.h"

const char *pmig_context_bracketed(const char *text, char *buf, size_t len)
{
	const char *lo = strchr(text, '['), *hi = lo ? strchr(lo, ']') : NULL;
	size_t n;

	if (!lo || !hi) {
		lo = text;
		hi = text + strcspn(text, "\n");
	} else {
		lo++;
	}
	n = (size_t)(hi - lo) < len - 1 ? (size_t)(hi - lo) : len - 1;
	memcpy(buf, lo, n);
	buf[n] = '\0';
	return buf;
}

const char *pmig_context_emulation(const char *guest_accel,
				   bool hypervisor_flag, const char *dmi_vendor,
				   const char *dmi_product, char *buf,
				   size_t len)
{
	if (guest_accel && !strcmp(guest_accel, "tcg"))
		snprintf(buf, len, "emulated (QEMU TCG)");
	else if (guest_accel && !strcmp(guest_accel, "tcg-icount"))
		snprintf(buf, len,
			 "instruction-counted (QEMU TCG icount shift=0)");
	else if (guest_accel && *guest_accel)
		snprintf(buf, len, "virtualized (QEMU %s)", guest_accel);
	else if (hypervisor_flag && dmi_vendor && *dmi_vendor)
		snprintf(buf, len, "virtualized (%s%s%s)", dmi_vendor,
			 dmi_product && *dmi_product ? " " : "",
			 dmi_product ? dmi_product : "");
	else if (hypervisor_flag)
		snprintf(buf, len, "virtualized (hypervisor flag)");
	else
		snprintf(buf, len, "bare metal");
	return buf;
}

const char *pmig_context_swaps(const char *proc_swaps, char *buf, size_t len)
{
	const char *line = proc_swaps ? strchr(proc_swaps, '\n') : NULL;
	size_t used = 0;

	buf[0] = '\0';
	/* The first line is the header. */
	while (line && *++line) {
		char dev[256], type[32];
		unsigned long size;

		if (sscanf(line, "%255s %31s %lu", dev, type, &size) == 3 &&
		    used < len)
			used += (size_t)snprintf(
				buf + used, len - used, "%s%s %s %luKiB",
				used ? "; " : "", dev, type, size);
		line = strchr(line, '\n');
	}
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

/* Appends printf output to @buf (@len), after @*used bytes; stops at the end. */
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	*used += n > 0 ? (size_t)n : 0;
}

/* Whether a kept case before @i has @from and @to: each pair is said once. */
static bool said_mig(const struct pmig_context_runs *r, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (r->mig_on[k] &&
		    r->mig[k].pair.from == r->mig[i].pair.from &&
		    r->mig[k].pair.to == r->mig[i].pair.to)
			return true;
	return false;
}

static int tier_to(const struct pmig_tier_case *c)
{
	return c->wl == PMIG_TIER_PROMOTE ? c->near : c->far;
}

static bool said_tier(const struct pmig_context_runs *r, size_t i)
{
	const struct pmig_tier_case *c = &r->tier[i];

	for (size_t k = 0; k < i; k++)
		if (r->tier_on[k] && r->tier[k].wl == c->wl &&
		    pmig_tier_start_node(&r->tier[k]) ==
			    pmig_tier_start_node(c) &&
		    tier_to(&r->tier[k]) == tier_to(c))
			return true;
	return false;
}

static size_t kept(const bool *on, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += on[i];
	return k;
}

const char *pmig_context_pairs(const struct pmig_context_runs *r, char *buf,
			       size_t len)
{
	size_t used = 0, i;
	bool first = true, tiering = false;

	buf[0] = '\0';
	for (i = 0; i < r->nmig; i++) {
		const struct pmig_pair *p = &r->mig[i].pair;

		if (!r->mig_on[i] || said_mig(r, i))
			continue;
		append(buf, len, &used, "%s%dto%d (distance %d%s)",
		       first ? "" : ", ", p->from, p->to, p->distance,
		       p->to_cpuless ? ", cpu-less target" : "");
		first = false;
	}
	for (i = 0; i < r->ntier; i++) {
		const struct pmig_tier_case *c = &r->tier[i];

		if (!r->tier_on[i] || said_tier(r, i))
			continue;
		append(buf, len, &used, "%s%dto%d %s",
		       tiering ? ", " :
		       first   ? "tiering: " :
				 "; tiering: ",
		       pmig_tier_start_node(c), tier_to(c),
		       pmig_tier_wl_name(c->wl));
		first = false;
		tiering = true;
	}
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

const char *pmig_context_iterations(const struct pmig_context_runs *r,
				    long iterations, char *buf, size_t len)
{
	bool mig = kept(r->mig_on, r->nmig), tier = kept(r->tier_on, r->ntier);

	if (mig && tier)
		snprintf(buf, len, "%ld per migration run, 1 per tiering run",
			 iterations);
	else if (tier)
		snprintf(buf, len, "1 per tiering run");
	else
		snprintf(buf, len, "%ld", iterations);
	return buf;
}

const char *pmig_context_tiering(const struct pmig_context_runs *r, char *buf,
				 size_t len)
{
	for (size_t i = 0; i < r->ntier; i++) {
		const struct pmig_tier_case *c = &r->tier[i];

		if (!r->tier_on[i])
			continue;
		/* Every tiering case of a run shares its nodes and watch. */
		snprintf(
			buf, len,
			"near %d, far %d (%s), a look every %g s, at most %g s",
			c->near, c->far,
			c->tiered ? "different memory tiers" :
				    "one memory tier",
			c->tick_s, c->limit_s);
		return buf;
	}
	return NULL;
}

/* The first line of a small file, without its newline; "" when unreadable. */
static const char *read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	if (!f)
		return NULL;
	m = open_memstream(&text, &len);
	if (m) {
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, m);
		fclose(m);
	}
	fclose(f);
	return text;
}

static bool hypervisor_flag(void)
{
	char *cpuinfo = read_all("/proc/cpuinfo");
	bool yes = cpuinfo && strstr(cpuinfo, " hypervisor");

	free(cpuinfo);
	return yes;
}

static void add(const char *key, const char *value)
{
	pmig_gb_add_context(key, value && *value ? value : "unknown");
}

int pmig_context_add_all(const struct pmig_context_in *in)
{
	char buf[1024], line[256], vendor[128], product[128];
	struct utsname u;
	char *text;

	if (uname(&u) == 0) {
		snprintf(buf, sizeof(buf), "%s %s", u.release, u.version);
		add("pmig_kernel", buf);
		add("pmig_machine", u.machine);
	}
	add("pmig_emulation",
	    pmig_context_emulation(getenv("PMIG_EMULATION"), hypervisor_flag(),
				   read_line("/sys/class/dmi/id/sys_vendor",
					     vendor, sizeof(vendor)),
				   read_line("/sys/class/dmi/id/product_name",
					     product, sizeof(product)),
				   buf, sizeof(buf)));
	/*
	 * The QEMU CPU model pmig vm gave the guest: the kernel picks its copy
	 * and clear routines by its features, so it weighs every figure. A
	 * machine that is not such a guest has no key.
	 */
	if (getenv("PMIG_CPU_MODEL") && *getenv("PMIG_CPU_MODEL"))
		add("pmig_cpu_model", getenv("PMIG_CPU_MODEL"));
	add("pmig_thp_enabled",
	    pmig_context_bracketed(
		    read_line("/sys/kernel/mm/transparent_hugepage/enabled",
			      line, sizeof(line)),
		    buf, sizeof(buf)));
	add("pmig_thp_defrag",
	    pmig_context_bracketed(
		    read_line("/sys/kernel/mm/transparent_hugepage/defrag",
			      line, sizeof(line)),
		    buf, sizeof(buf)));
	text = read_all("/proc/swaps");
	add("pmig_swap", pmig_context_swaps(text, buf, sizeof(buf)));
	free(text);
	add("pmig_zswap", read_line("/sys/module/zswap/parameters/enabled",
				    line, sizeof(line)));
	add("pmig_page_cluster",
	    read_line("/proc/sys/vm/page-cluster", line, sizeof(line)));
	snprintf(buf, sizeof(buf), "%s before, 0 while measuring",
		 in->numa_balancing ? in->numa_balancing : "unknown");
	add("pmig_numa_balancing", buf);
	snprintf(buf, sizeof(buf), "%ld", sysconf(_SC_PAGESIZE));
	add("pmig_page_size", buf);
	add("pmig_pmu", in->pmu);
	add("pmig_pairs", pmig_context_pairs(in->runs, buf, sizeof(buf)));
	add("pmig_caller",
	    "pinned to the CPUs of each benchmark's from node (pmig.cpu_node)");
	add("pmig_timing",
	    "manual time: only the migration calls, CLOCK_MONOTONIC; samples in pmig.call_ns and pmig.iteration_ns");
	add("pmig_mode", in->mode);
	/* pmig report draws the preset's published figures beside the results. */
	if (in->preset)
		add("pmig_preset", in->preset);
	add("pmig_iterations", pmig_context_iterations(in->runs, in->iterations,
						       buf, sizeof(buf)));
	if (pmig_context_tiering(in->runs, buf, sizeof(buf)))
		add("pmig_tiering", buf);
	snprintf(buf, sizeof(buf), "%d", in->accessors);
	add("pmig_accessors", buf);
	add("pmig_topology",
	    "hwloc XML in pmig.topology_xml (the file's top-level pmig object)");
	return 0;
}
