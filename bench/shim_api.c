/* shim_api.c - the calls a benchmark body makes on its run: arguments checked here, the work done by the run's backend (shim_state.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "shim.h"
#include "shim_state.h"

bool pmig_bench_next(struct pmig_bench_state *st)
{
	return st->ops->next(st);
}

long pmig_bench_iteration(const struct pmig_bench_state *st)
{
	return st->iter;
}

void pmig_bench_sample(struct pmig_bench_state *st, uint64_t ns)
{
	st->ops->sample(st, ns);
}

void pmig_bench_set_work(struct pmig_bench_state *st, uint64_t bytes,
			 uint64_t items)
{
	st->ops->set_work(st, bytes, items);
}

int pmig_bench_counter(struct pmig_bench_state *st, const char *name,
		       double value, enum pmig_counter_flags flags)
{
	if (!name || !*name)
		return -EINVAL;
	return st->ops->counter(st, name, value, flags);
}

static bool good_key(const char *key)
{
	return key && *key &&
	       strlen(key) < sizeof(((struct pmig_note *)0)->key);
}

int pmig_bench_note_num(struct pmig_bench_state *st, const char *key,
			double value)
{
	if (!good_key(key))
		return -EINVAL;
	return st->ops->note(st, key, NULL, value);
}

int pmig_bench_note_text(struct pmig_bench_state *st, const char *key,
			 const char *text)
{
	if (!good_key(key) || !text)
		return -EINVAL;
	return st->ops->note(st, key, text, 0);
}

int pmig_bench_series_add(struct pmig_bench_state *st, const char *name,
			  double value)
{
	if (!name || !*name ||
	    strlen(name) >= sizeof(((struct pmig_series *)0)->name))
		return -EINVAL;
	return st->ops->series_add(st, name, value);
}

static void end_with(struct pmig_bench_state *st, enum pmig_run_status status,
		     const char *fmt, va_list ap)
{
	char msg[sizeof(((struct pmig_bench_run *)0)->message)];

	if (st->failed)
		return; /* the first reason is the one reported */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	st->failed = true;
	st->ops->end(st, status, msg);
}

void pmig_bench_fail(struct pmig_bench_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	end_with(st, PMIG_RUN_FAILED, fmt, ap);
	va_end(ap);
}

void pmig_bench_unavailable(struct pmig_bench_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	end_with(st, PMIG_RUN_UNAVAILABLE, fmt, ap);
	va_end(ap);
}

bool pmig_bench_failed(const struct pmig_bench_state *st)
{
	return st->failed;
}

const struct pmig_note *pmig_bench_run_note(const struct pmig_bench_run *r,
					    const char *key)
{
	for (size_t i = 0; key && i < r->nnotes; i++)
		if (!strcmp(r->notes[i].key, key))
			return &r->notes[i];
	return NULL;
}
