/* shim.h - the C API benchmarks are written against: opaque state, manual timing of the measured call, counters, raw samples kept for the JSON. */
#ifndef PMIG_SHIM_H
#define PMIG_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * A benchmark is a C function that loops on pmig_bench_next() and, in each
 * iteration, times only the calls it measures and hands each duration to
 * pmig_bench_sample(). An iteration's manual time (what Google Benchmark's
 * rates divide by) is the sum of its samples; everything else in the
 * iteration (setup, verification) is untimed. Every run (one call of the
 * function: one Google Benchmark repetition) keeps its raw samples and
 * notes; pmig_bench_runs() hands them to the JSON writer, which finds a
 * run's entry by its label "pmig-run:ID".
 *
 * Error rule: functions returning int give 0 or -errno; nothing here prints
 * or exits.
 */

struct pmig_bench_state;
typedef void (*pmig_bench_fn)(struct pmig_bench_state *st, void *arg);

/** Counter flags, as Google Benchmark's (a subset). */
enum pmig_counter_flags {
	PMIG_COUNTER_PLAIN = 0, /* the value as set */
	PMIG_COUNTER_RATE = 1, /* divided by the run's manual time */
	PMIG_COUNTER_PER_ITERATION = 2, /* divided by the iteration count */
};

/** Run outcomes. */
enum pmig_run_status {
	PMIG_RUN_VERIFIED, /* every iteration's result was checked and right */
	PMIG_RUN_FAILED, /* a wrong result or a failed call: no number */
	PMIG_RUN_UNAVAILABLE, /* a facility this run needs is missing here */
};

/** A note a benchmark attaches to its run: a number or a text. */
struct pmig_note {
	char key[48];
	bool is_text;
	double num;
	char text[96];
};

/** A named series of numbers a run records over time (a timeline's column). */
struct pmig_series {
	char name[16];
	double *v;
	size_t n;
};

#define PMIG_MAX_NOTES 64
#define PMIG_MAX_SERIES 8
#define PMIG_MAX_SAMPLES (1UL << 22) /* per run; more are counted, not kept */

/** What one run left behind for the JSON writer. */
struct pmig_bench_run {
	int id; /* the label's number, unique in this process */
	int bench; /* index of the registered benchmark */
	enum pmig_run_status status;
	char message[256]; /* why it failed or was unavailable */
	uint64_t *call_ns; /* every timed call, in order */
	size_t ncalls, calls_dropped;
	uint64_t *iter_ns; /* each iteration's manual time */
	size_t niters;
	struct pmig_note notes[PMIG_MAX_NOTES];
	size_t nnotes;
	struct pmig_series series[PMIG_MAX_SERIES]; /* the JSON's "timeline" */
	size_t nseries;
};

/**
 * Registers @fn(st, @arg) as benchmark @name, run for exactly @iterations
 * iterations per repetition under manual time. @arg must live until the
 * benchmarks have run. Returns the benchmark's index or -errno.
 */
int pmig_bench_register(const char *name, pmig_bench_fn fn, void *arg,
			long iterations);
/** Number of registered benchmarks; the name and argument of one. */
size_t pmig_bench_count(void);
const char *pmig_bench_name(int bench);
void *pmig_bench_arg(int bench);

/** Starts the next iteration; false when the run is over or has failed. */
bool pmig_bench_next(struct pmig_bench_state *st);
/** Index of the current iteration (0 for the first). */
long pmig_bench_iteration(const struct pmig_bench_state *st);

/** Nanoseconds of CLOCK_MONOTONIC: read right before and right after the measured call. */
static inline uint64_t pmig_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/** One measured call took @ns: kept as a raw sample, added to the iteration's manual time. */
void pmig_bench_sample(struct pmig_bench_state *st, uint64_t ns);

/** Bytes and items (pages) one iteration moves: the run reports them as rates over manual time. */
void pmig_bench_set_work(struct pmig_bench_state *st, uint64_t bytes,
			 uint64_t items);
/** A Google Benchmark counter (flat key in the JSON entry). 0 or -errno. */
int pmig_bench_counter(struct pmig_bench_state *st, const char *name,
		       double value, enum pmig_counter_flags flags);
/** A note for the run's "pmig" JSON object. 0 or -errno (-ENOSPC when full). */
int pmig_bench_note_num(struct pmig_bench_state *st, const char *key,
			double value);
int pmig_bench_note_text(struct pmig_bench_state *st, const char *key,
			 const char *text);

/**
 * Appends @value to the run's series @name (created on first use): the
 * columns of the run's "timeline" object, one value per point in time.
 * 0 or -errno (-ENOSPC past PMIG_MAX_SERIES series).
 */
int pmig_bench_series_add(struct pmig_bench_state *st, const char *name,
			  double value);

/** A wrong result or a failed call: the run ends with an error, never a number. */
void pmig_bench_fail(struct pmig_bench_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** A facility the run needs is missing: the run ends with an error saying so. */
void pmig_bench_unavailable(struct pmig_bench_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool pmig_bench_failed(const struct pmig_bench_state *st);

/** The note @key of run @r, or NULL. */
const struct pmig_note *pmig_bench_run_note(const struct pmig_bench_run *r,
					    const char *key);

/** The finished runs, in the order they ran. */
const struct pmig_bench_run *pmig_bench_runs(size_t *n);
/** The run with label id @id, or NULL. */
const struct pmig_bench_run *pmig_bench_run_by_id(int id);
/** Frees every run and forgets every registration (tests). */
void pmig_bench_reset(void);

/** Prefix of the label that names a run: "pmig-run:<id>". */
#define PMIG_RUN_LABEL "pmig-run:"

#endif
