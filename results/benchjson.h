/* benchjson.h - reads Google Benchmark JSON, with or without pmig's extras: entries, benchmarks, raw samples. */
#ifndef PMIG_BENCHJSON_H
#define PMIG_BENCHJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A file is Google Benchmark JSON: {"context": {...}, "benchmarks": [...]}.
 * pmig's benchmark program adds to each entry a "pmig" object (schema:
 * results/schema/bench-pmig.schema.json) with the raw nanoseconds of every
 * timed call ("call_ns") and iteration ("iteration_ns") and what was
 * measured (strategy, workload, batch, node pair). A benchmark is the entries of one
 * run_name with run_type "iteration" (one per repetition); aggregates
 * (mean, median, stddev, cv) are read but never used as samples.
 *
 * Error rule as the rest of the harness: 0 or -errno, NULL on failure.
 */

enum pmig_bj_state {
	PMIG_BJ_OK,
	PMIG_BJ_ERROR, /* "error_occurred", or pmig status "failed" */
	PMIG_BJ_SKIPPED, /* "skipped", or pmig status "unavailable" */
};

struct pmig_bj_entry {
	const char *name;
	const char *run_name; /* "run_name", else "name" */
	bool aggregate; /* run_type "aggregate" */
	enum pmig_bj_state state;
	const char *message; /* why ERROR or SKIPPED; "" when none */
	double real_time_ns; /* "real_time" in ns; NAN when absent */
	const char *time_unit; /* "time_unit": "ns", "us", "ms" or "s" */
	bool has_pmig; /* the entry has a "pmig" object */
	/* pmig "kind" "tiering": a tiering strategy's run (results/tiering.h),
	 * time to converge rather than a migration's time: the migration
	 * benchmarks' table, plots, kernel comparison and gate leave it out. */
	bool tiering;
	/* What was measured (pmig object, its notes, or "key:value" parts of
	 * the name); NULL or -1 when unknown. */
	const char *strategy;
	const char *kind; /* "workload" (or "kind"): anon, thp, shmem, ... */
	long batch; /* pages per call; pmig's 0 ("batch:all") reads as "pages" */
	long threads; /* pmig's "threads" (memcpy's copy threads) */
	long from;
	long to;
	double *call_ns; /* raw per-call nanoseconds; NULL when absent */
	size_t ncalls;
	double *iter_ns; /* raw per-iteration ns ("iteration_ns"); NULL when absent */
	size_t niters;
	/* The entry's json_object, less its sample arrays, for pmig_bj_counter(). */
	const void *obj;
};

/** One benchmark: its iteration entries, in file order. */
struct pmig_bj_bench {
	const char *name;
	size_t *entry; /* indexes into pmig_bj.entries */
	size_t n;
};

struct pmig_bj {
	void *root; /* a json_object holding the file's "context" */
	struct pmig_bj_entry *entries;
	size_t nentries;
	struct pmig_bj_bench *benches; /* in order of first appearance */
	size_t nbenches;
};

/**
 * Parses @text. On malformed input returns -EINVAL and writes one line
 * saying what is wrong into @why (@whylen bytes), naming the benchmark
 * where one is at fault: an OK repetition's real_time missing, NaN,
 * infinite or negative, a raw sample that is not a finite number >= 0;
 * -ENOMEM. Memory is the samples as doubles plus a small tree per entry:
 * the text is read piece by piece, never held whole.
 */
int pmig_bj_parse(const char *text, struct pmig_bj **out, char *why,
		  size_t whylen);
/** pmig_bj_parse() of the file at @path; -errno of open/read with @why set. */
int pmig_bj_load(const char *path, struct pmig_bj **out, char *why,
		 size_t whylen);
void pmig_bj_free(struct pmig_bj *bj);

/** The "context" value of @key as a string (numbers as JSON text), or NULL. */
const char *pmig_bj_context(const struct pmig_bj *bj, const char *key);
/** How a file's times were taken. */
enum pmig_bj_clock {
	PMIG_BJ_CLOCK_HOST, /* a real host's clock (bare metal, KVM), or unsaid */
	PMIG_BJ_CLOCK_ICOUNT, /* QEMU TCG with icount: instruction counts */
	PMIG_BJ_CLOCK_TCG, /* QEMU TCG without icount: emulated, noise */
};
/**
 * The clock an emulation text names: the context's pmig_emulation as
 * bench/context.c writes it ("instruction-counted (QEMU TCG icount
 * shift=0)", "emulated (QEMU TCG)", "bare metal", "virtualized (...)") or
 * pmig vm's word for it ("tcg-icount", "tcg", "kvm"). @emu may be NULL.
 */
enum pmig_bj_clock pmig_bj_emulation_clock(const char *emu);
/** Whether @emu says the times are instruction counts (pmig vm --clock icount). */
bool pmig_bj_emulation_counted(const char *emu);
/** @bj's emulation text: its context's pmig_emulation, else emulation; NULL. */
const char *pmig_bj_emulation(const struct pmig_bj *bj);
/**
 * The QEMU CPU model @bj's figures were counted on (its context's
 * pmig_cpu_model, which pmig vm's guests write), or NULL: a machine that
 * was no such guest, or a file from before the key.
 */
const char *pmig_bj_cpu_model(const struct pmig_bj *bj);
/** Counter @key of an entry (a flat number key), NAN when absent. */
double pmig_bj_counter(const struct pmig_bj_entry *e, const char *key);
/** The benchmark named @name, or NULL. */
const struct pmig_bj_bench *pmig_bj_find(const struct pmig_bj *bj,
					 const char *name);
/** The entry @i of benchmark @b. */
const struct pmig_bj_entry *pmig_bj_entry_of(const struct pmig_bj *bj,
					     const struct pmig_bj_bench *b,
					     size_t i);

/**
 * ERROR if an entry of @b has an error, else SKIPPED if one was skipped,
 * else OK; *@msg (may be NULL) gets the first such entry's message.
 */
enum pmig_bj_state pmig_bj_bench_state(const struct pmig_bj *bj,
				       const struct pmig_bj_bench *b,
				       const char **msg);

/** Whether @b is a tiering strategy's run: an entry of it says pmig "kind" "tiering". */
bool pmig_bj_bench_tiering(const struct pmig_bj *bj,
			   const struct pmig_bj_bench *b);

/** True when @b has an OK entry and every OK entry has raw per-call samples. */
bool pmig_bj_has_calls(const struct pmig_bj *bj, const struct pmig_bj_bench *b);
/**
 * Time samples of @b in nanoseconds, lower is better: with @per_call every
 * timed call of every OK entry ("call_ns"), else each OK entry's real_time
 * (one per repetition). Returns the count (*@out malloc()ed, NULL for 0)
 * or -ENOMEM.
 */
ssize_t pmig_bj_time_samples(const struct pmig_bj *bj,
			     const struct pmig_bj_bench *b, bool per_call,
			     double **out);
/** Counter @key of each OK entry of @b that has it; count or -ENOMEM. */
ssize_t pmig_bj_counter_samples(const struct pmig_bj *bj,
				const struct pmig_bj_bench *b, const char *key,
				double **out);

#endif
