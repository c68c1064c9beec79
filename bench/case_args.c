/* case_args.c - a benchmark case as key=value words for the timing program, and back. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_args.h"

static void put(struct pmig_case_args *a, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put(struct pmig_case_args *a, const char *key, const char *fmt, ...)
{
	char *w = a->text[a->argc];
	int n = snprintf(w, PMIG_CASE_ARG_LEN, "%s=", key);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w + n, PMIG_CASE_ARG_LEN - (size_t)n, fmt, ap);
	va_end(ap);
	a->argv[a->argc++] = w;
	a->argv[a->argc] = NULL;
}

void pmig_case_args_make(const struct pmig_bench_case *c, bool perf,
			 struct pmig_case_args *a)
{
	a->argc = 0;
	put(a, "name", "%s", c->name);
	put(a, "strategy", "%s", c->strategy->name);
	put(a, "workload", "%s", pmig_wl_name(c->wl));
	put(a, "bytes", "%zu", c->bytes);
	put(a, "batch", "%zu", c->batch);
	put(a, "threads", "%d", c->threads);
	put(a, "accessors", "%d", c->accessors);
	put(a, "from", "%d", c->pair.from);
	put(a, "to", "%d", c->pair.to);
	put(a, "distance", "%d", c->pair.distance);
	put(a, "to_cpuless", "%d", c->pair.to_cpuless);
	put(a, "from_cpus", "%s", c->from_cpus);
	put(a, "iterations", "%ld", c->iterations);
	put(a, "perf", "%d", perf);
}

static int number(const char *v, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno || end == v || *end ? -EINVAL : 0;
}

static int strategy_named(const char *v, struct pmig_bench_case *c)
{
	for (int i = 0; pmig_strategies[i]; i++)
		if (!strcmp(pmig_strategies[i]->name, v)) {
			c->strategy = pmig_strategies[i];
			return 0;
		}
	return -EINVAL;
}

static int workload_named(const char *v, struct pmig_bench_case *c)
{
	for (int w = 0; w < PMIG_WL_COUNT; w++)
		if (!strcmp(pmig_wl_name((enum pmig_wl)w), v)) {
			c->wl = (enum pmig_wl)w;
			return 0;
		}
	return -EINVAL;
}

static int one(const char *key, const char *v, struct pmig_bench_case *c,
	       bool *perf)
{
	long long n = 0;

	if (!strcmp(key, "name"))
		return snprintf(c->name, sizeof(c->name), "%s", v) <
				       (int)sizeof(c->name) ?
			       0 :
			       -EINVAL;
	if (!strcmp(key, "strategy"))
		return strategy_named(v, c);
	if (!strcmp(key, "workload"))
		return workload_named(v, c);
	if (!strcmp(key, "from_cpus")) {
		c->from_cpus = v;
		return 0;
	}
	if (number(v, &n) || n < -1)
		return -EINVAL;
	if (!strcmp(key, "bytes"))
		c->bytes = (size_t)n;
	else if (!strcmp(key, "batch"))
		c->batch = (size_t)n;
	else if (!strcmp(key, "threads"))
		c->threads = (int)n;
	else if (!strcmp(key, "accessors"))
		c->accessors = (int)n;
	else if (!strcmp(key, "from"))
		c->pair.from = (int)n;
	else if (!strcmp(key, "to"))
		c->pair.to = (int)n;
	else if (!strcmp(key, "distance"))
		c->pair.distance = (int)n;
	else if (!strcmp(key, "to_cpuless"))
		c->pair.to_cpuless = n != 0;
	else if (!strcmp(key, "iterations"))
		c->iterations = (long)n;
	else if (!strcmp(key, "perf"))
		*perf = n != 0;
	else
		return -EINVAL;
	return 0;
}

int pmig_case_args_read(int argc, char *const argv[], struct pmig_bench_case *c,
			bool *perf, char *why, size_t len)
{
	*c = (struct pmig_bench_case){ .threads = 1 };
	*perf = false;
	for (int i = 0; i < argc; i++) {
		char key[32];
		const char *eq = strchr(argv[i], '=');

		if (!eq || (size_t)(eq - argv[i]) >= sizeof(key))
			goto bad;
		memcpy(key, argv[i], (size_t)(eq - argv[i]));
		key[eq - argv[i]] = '\0';
		if (one(key, eq + 1, c, perf))
			goto bad;
		continue;
	bad:
		snprintf(why, len, "bad case word '%s'", argv[i]);
		return -EINVAL;
	}
	if (!c->strategy || !c->bytes || !c->from_cpus || !*c->name) {
		snprintf(why, len,
			 "a case needs name, strategy, bytes and from_cpus");
		return -EINVAL;
	}
	return 0;
}
