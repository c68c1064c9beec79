/* probe.c - vmstat and /proc/interrupts deltas plus per-thread perf counters around a timed call. */
#include "probe.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Event counters only: a gauge such as nr_isolated_anon has no meaningful delta. */
static const char *const vm_names[] = {
	"pgmigrate_success",
	"pgmigrate_fail",
	"thp_migration_success",
	"thp_migration_fail",
	"thp_migration_split",
	"numa_pages_migrated",
	"pgfault",
	"pgmajfault",
	"pswpin",
	"pswpout",
	"swap_ra",
	"swap_ra_hit",
	"thp_split_page",
	"pgpromote_success",
	"pgpromote_candidate",
	"pgdemote_kswapd",
	"pgdemote_direct",
	"pgdemote_proactive",
	"numa_hint_faults",
	"numa_pte_updates",
	"nr_tlb_remote_flush",
	"nr_tlb_remote_flush_received",
	"nr_tlb_local_flush_all",
	"nr_tlb_local_flush_one",
};

#define NVM ARRAY_SIZE(vm_names)

/* /proc/interrupts rows (x86 labels) and the names their totals get. */
static const char *const irq_labels[] = { "TLB", "CAL" };
static const char *const irq_names[] = { "tlb_shootdowns",
					 "ipi_function_calls" };

#define NIRQ ARRAY_SIZE(irq_labels)

/* Hardware events: our name and libpfm4 event strings to try, best first. */
static const struct {
	const char *name;
	const char *events[4];
} hw_events[] = {
	{ "perf_cycles", { "cycles" } },
	{ "perf_instructions", { "instructions" } },
	{ "perf_dtlb_load_misses",
	  { "dTLB-load-misses", "DTLB_LOAD_MISSES:WALK_COMPLETED",
	    "ls_l1_d_tlb_miss:all" } },
};

static const struct {
	const char *name;
	unsigned long long config;
} sw_events[] = {
	{ "perf_task_clock_ns", PERF_COUNT_SW_TASK_CLOCK },
	{ "perf_page_faults", PERF_COUNT_SW_PAGE_FAULTS },
	{ "perf_context_switches", PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "perf_cpu_migrations", PERF_COUNT_SW_CPU_MIGRATIONS },
};

#define NPERF (ARRAY_SIZE(hw_events) + ARRAY_SIZE(sw_events))

struct perf_counter {
	int fd;
	const char *name;
	double total;
	bool unknown; /* enabled but never scheduled: left out rather than reported as 0 */
};

struct pmig_probe {
	char kind[320];
	bool with_perf; /* opened with perf counters (pmig_probe_open's @perf) */
	bool active;
	bool vm_present[NVM];
	unsigned long long vm_begin[NVM];
	double vm_total[NVM];
	bool irq_present[NIRQ];
	unsigned long long irq_begin[NIRQ];
	double irq_total[NIRQ];
	size_t nperf;
	struct perf_counter perf[NPERF];
};

int pmig_vmstat_parse(FILE *f, const char *const *names, size_t n,
		      unsigned long long *values, bool *present)
{
	char line[256], key[128];
	unsigned long long v;
	int found = 0;
	size_t i;

	for (i = 0; i < n; i++)
		present[i] = false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %llu", key, &v) != 2)
			continue;
		for (i = 0; i < n; i++) {
			if (!present[i] && !strcmp(key, names[i])) {
				present[i] = true;
				values[i] = v;
				found++;
				break;
			}
		}
	}
	return ferror(f) ? -EIO : found;
}

/* The number of "CPUn" words in /proc/interrupts' header line. */
static int count_cpu_columns(const char *line)
{
	int n = 0;

	while ((line = strstr(line, "CPU"))) {
		n++;
		line += 3;
	}
	return n;
}

/* Sums up to @ncpu numbers at the start of @s; columns end early on rows such as "ERR:". */
static unsigned long long sum_columns(const char *s, int ncpu)
{
	unsigned long long sum = 0;
	char *end;
	int i;

	for (i = 0; i < ncpu; i++) {
		unsigned long long v = strtoull(s, &end, 10);

		if (end == s)
			break;
		sum += v;
		s = end;
	}
	return sum;
}

int pmig_interrupts_parse(FILE *f, const char *const *labels, size_t n,
			  unsigned long long *sums, bool *present)
{
	size_t cap = 0, i;
	char *line = NULL;
	int ncpu = -1, found = 0;

	for (i = 0; i < n; i++)
		present[i] = false;
	while (getline(&line, &cap, f) >= 0) {
		const char *s = line;

		if (ncpu < 0) {
			ncpu = count_cpu_columns(line);
			if (ncpu == 0)
				break;
			continue;
		}
		while (*s == ' ')
			s++;
		for (i = 0; i < n; i++) {
			size_t llen = strlen(labels[i]);

			if (present[i] || strncmp(s, labels[i], llen) ||
			    s[llen] != ':')
				continue;
			sums[i] = sum_columns(s + llen + 1, ncpu);
			present[i] = true;
			found++;
			break;
		}
	}
	free(line);
	if (ferror(f))
		return -EIO;
	return ncpu > 0 ? found : -EINVAL;
}

static int read_vmstat(unsigned long long *values, bool *present)
{
	FILE *f = fopen("/proc/vmstat", "re");
	int r;

	if (!f)
		return -errno;
	r = pmig_vmstat_parse(f, vm_names, NVM, values, present);
	fclose(f);
	return r < 0 ? r : 0;
}

/* Sums the irq_labels rows; a row this architecture lacks gets present false. */
static int read_interrupts(unsigned long long *values, bool *present)
{
	FILE *f = fopen("/proc/interrupts", "re");
	int r;

	if (!f)
		return -errno;
	r = pmig_interrupts_parse(f, irq_labels, NIRQ, values, present);
	fclose(f);
	return r < 0 ? r : 0;
}

static int perf_open(struct perf_event_attr *attr)
{
	attr->size = sizeof(*attr);
	attr->disabled = 1;
	attr->inherit = 0;
	/* Multiplexing shows in these two times; the value is scaled by their ratio. */
	attr->read_format =
		PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	return (int)syscall(SYS_perf_event_open, attr, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static void add_counter(struct pmig_probe *p, int fd, const char *name)
{
	p->perf[p->nperf].fd = fd;
	p->perf[p->nperf].name = name;
	p->perf[p->nperf].total = 0;
	p->perf[p->nperf].unknown = false;
	p->nperf++;
}

/* The name of the first core PMU libpfm4 detected, for the kind string. */
static const char *core_pmu_name(void)
{
	int i;

	pfm_for_all_pmus(i)
	{
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(i, &info) == PFM_SUCCESS &&
		    info.is_present && info.type == PFM_PMU_TYPE_CORE)
			return info.name;
	}
	return "unnamed core PMU";
}

/* Encodes @event with libpfm4 and opens it; -errno, or -ENOENT for an event libpfm4 does not know. */
static int open_pfm_event(const char *event)
{
	struct perf_event_attr attr;
	pfm_perf_encode_arg_t arg;
	int fd;

	memset(&attr, 0, sizeof(attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &attr;
	arg.size = sizeof(arg);
	/* PLM0 too: the migration itself runs in the kernel. */
	if (pfm_get_os_event_encoding(event, PFM_PLM0 | PFM_PLM3,
				      PFM_OS_PERF_EVENT, &arg) != PFM_SUCCESS)
		return -ENOENT;
	fd = perf_open(&attr);
	return fd < 0 ? -errno : fd;
}

/* Opens the hardware events; returns how many opened, with the first failure in @why. */
static size_t open_hardware(struct pmig_probe *p, char *why, size_t len)
{
	size_t i, j, opened = 0;
	int r;

	r = pfm_initialize();
	if (r != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4: %s", pfm_strerror(r));
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(hw_events); i++) {
		int fd = -ENOENT;

		for (j = 0; j < ARRAY_SIZE(hw_events[i].events) &&
			    hw_events[i].events[j];
		     j++) {
			fd = open_pfm_event(hw_events[i].events[j]);
			if (fd >= 0)
				break;
		}
		if (fd >= 0) {
			add_counter(p, fd, hw_events[i].name);
			opened++;
		} else if (!opened && i == 0) {
			/* The kernel answers ENOENT when no PMU takes hardware events (a VM without a virtual PMU). */
			snprintf(why, len, "perf_event_open(cycles): %s%s",
				 strerror(-fd),
				 fd == -ENOENT ?
					 ", the kernel has no hardware PMU" :
					 "");
			return 0;
		}
	}
	return opened;
}

static int paranoid_level(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	int v = -99;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -99;
		fclose(f);
	}
	return v;
}

/* Opens the software events; on failure appends why to @kind. */
static void open_software(struct pmig_probe *p)
{
	int first_err = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sw_events); i++) {
		struct perf_event_attr attr;
		int fd;

		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_SOFTWARE;
		attr.config = sw_events[i].config;
		fd = perf_open(&attr);
		if (fd >= 0)
			add_counter(p, fd, sw_events[i].name);
		else if (!first_err)
			first_err = errno;
	}
	if (first_err && p->nperf == 0) {
		size_t len = strlen(p->kind);

		/* The kind string's closing parenthesis is added by the caller. */
		snprintf(
			p->kind + len, sizeof(p->kind) - len,
			"; perf_event_open not allowed: %s (perf_event_paranoid %d): vmstat only",
			strerror(first_err), paranoid_level());
	}
}

struct pmig_probe *pmig_probe_open(bool perf)
{
	struct pmig_probe *p = calloc(1, sizeof(*p));
	unsigned long long scratch[NVM > NIRQ ? NVM : NIRQ];
	char why[192] = "";
	size_t len;

	if (!p)
		return NULL;
	/* Presence is decided once, so begin and end always cover the same counters. */
	if (read_vmstat(scratch, p->vm_present))
		memset(p->vm_present, 0, sizeof(p->vm_present));
	if (read_interrupts(scratch, p->irq_present))
		memset(p->irq_present, 0, sizeof(p->irq_present));

	p->with_perf = perf;
	if (!perf) {
		snprintf(p->kind, sizeof(p->kind), "%s", PMIG_PROBE_NO_PERF);
		return p;
	}
	if (open_hardware(p, why, sizeof(why)))
		snprintf(p->kind, sizeof(p->kind), "hardware (%s",
			 core_pmu_name());
	else
		snprintf(p->kind, sizeof(p->kind), "software (no PMU: %s", why);
	open_software(p);
	len = strlen(p->kind);
	if (len + 1 >= sizeof(p->kind))
		len = sizeof(p->kind) - 2;
	p->kind[len] = ')';
	p->kind[len + 1] = '\0';
	return p;
}

bool pmig_probe_with_perf(const struct pmig_probe *p)
{
	return p && p->with_perf;
}

const char *pmig_probe_kind(const struct pmig_probe *p)
{
	return p ? p->kind : "software (no PMU: no probe)";
}

int pmig_probe_begin(struct pmig_probe *p)
{
	bool vm_now[NVM], irq_now[NIRQ];
	size_t i;
	int err;

	if (!p)
		return -EINVAL;
	if (p->active)
		return -EBUSY;
	err = read_vmstat(p->vm_begin, vm_now);
	if (!err)
		err = read_interrupts(p->irq_begin, irq_now);
	if (err)
		return err;
	/* Last, so that reading the snapshots above is not counted. */
	for (i = 0; i < p->nperf; i++)
		if (ioctl(p->perf[i].fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
			err = err ? err : -errno;
	if (err) {
		for (i = 0; i < p->nperf; i++)
			ioctl(p->perf[i].fd, PERF_EVENT_IOC_DISABLE, 0);
		return err;
	}
	p->active = true;
	return 0;
}

/* A counter's running total, scaled up when the kernel multiplexed it. */
static double perf_value(int fd)
{
	uint64_t v[3]; /* value, time enabled, time running */

	if (read(fd, v, sizeof(v)) != (ssize_t)sizeof(v))
		return -1;
	if (v[2] == 0)
		return v[1] ? -1 : 0; /* enabled but never scheduled: unknown */
	if (v[2] < v[1])
		return (double)v[0] * ((double)v[1] / (double)v[2]);
	return (double)v[0];
}

static double delta(unsigned long long before, unsigned long long after)
{
	return after > before ? (double)(after - before) : 0;
}

int pmig_probe_end(struct pmig_probe *p)
{
	unsigned long long vm_end[NVM], irq_end[NIRQ];
	bool vm_now[NVM], irq_now[NIRQ];
	size_t i;
	int err;

	if (!p || !p->active)
		return -EINVAL;
	/* First, so that reading the snapshots below is not counted. */
	for (i = 0; i < p->nperf; i++)
		ioctl(p->perf[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	p->active = false;
	err = read_vmstat(vm_end, vm_now);
	if (!err)
		err = read_interrupts(irq_end, irq_now);
	if (err)
		return err;
	for (i = 0; i < NVM; i++)
		if (p->vm_present[i] && vm_now[i])
			p->vm_total[i] += delta(p->vm_begin[i], vm_end[i]);
	for (i = 0; i < NIRQ; i++)
		if (p->irq_present[i] && irq_now[i])
			p->irq_total[i] += delta(p->irq_begin[i], irq_end[i]);
	/* Counters only run while enabled, so their values are already the totals. */
	for (i = 0; i < p->nperf; i++) {
		double v = perf_value(p->perf[i].fd);

		p->perf[i].unknown = v < 0;
		if (v >= 0)
			p->perf[i].total = v;
	}
	return 0;
}

static void put(struct pmig_probe_value *out, size_t max, size_t *n,
		const char *name, double value)
{
	if (*n >= max)
		return;
	snprintf(out[*n].name, sizeof(out[*n].name), "%s", name);
	out[*n].value = value;
	(*n)++;
}

size_t pmig_probe_totals(const struct pmig_probe *p,
			 struct pmig_probe_value *out, size_t max)
{
	size_t n = 0, i;

	if (!p || !out)
		return 0;
	for (i = 0; i < NVM; i++)
		if (p->vm_present[i])
			put(out, max, &n, vm_names[i], p->vm_total[i]);
	for (i = 0; i < NIRQ; i++)
		if (p->irq_present[i])
			put(out, max, &n, irq_names[i], p->irq_total[i]);
	for (i = 0; i < p->nperf; i++)
		if (!p->perf[i].unknown)
			put(out, max, &n, p->perf[i].name, p->perf[i].total);
	return n;
}

void pmig_probe_close(struct pmig_probe *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nperf; i++)
		close(p->perf[i].fd);
	free(p);
}
