/* result.h - the in-memory result model that every output format is written from. */
#ifndef PMIG_RESULT_H
#define PMIG_RESULT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Error rule for the whole harness library: functions returning int give 0
 * (or a count) on success and a negative errno on failure; functions
 * returning pointers give NULL on failure. The library never prints to
 * stdout/stderr on its own and never exits.
 */

/** Outcome of one case, in the order KCIDB summarises them (worst first is not implied). */
enum pmig_outcome {
	PMIG_PASS,
	PMIG_FAIL, /* unexpected failure */
	PMIG_SKIP, /* prerequisite missing; reason says which */
	PMIG_XFAIL, /* failed as a cited known kernel bug predicts */
	PMIG_XPASS, /* passed although a known bug was declared for this kernel */
	PMIG_ERROR, /* the harness could not run the case (fork failed, timeout, crash) */
	PMIG_OUTCOME_COUNT
};

/** One case's result. Strings are owned by the run once added. */
struct pmig_result {
	const char *
		name; /* [A-Za-z0-9_.-]+, e.g. move_pages.status.enoent_not_present */
	enum pmig_outcome outcome;
	const char *reason; /* why SKIP/XFAIL/XPASS/FAIL/ERROR; may be NULL */
	const char *
		diag; /* diagnostic text, lines separated by '\n'; may be NULL */
	double start; /* seconds since the Unix epoch */
	double duration; /* seconds */
	/*
	 * A measurement (a benchmark's result): KCIDB writes a PASS that has
	 * a number as DONE with the number, JUnit as a passing case.
	 */
	bool has_number;
	double number;
	const char *
		unit; /* unit symbol as KCIDB takes it: "B/s", "s"; may be NULL */
	const char *measure; /* what the number is: "throughput"; may be NULL */
	const char
		*misc; /* the text of a JSON object with details; may be NULL */
};

struct pmig_run;

/** A new empty run for @suite (e.g. "pmig.conform"); NULL on ENOMEM. */
struct pmig_run *pmig_run_new(const char *suite);
void pmig_run_free(struct pmig_run *run);

/**
 * Run metadata (kernel, profile, hostname, emulation, ...); replaces an
 * existing key in place. -EINVAL for a NULL key or value, -ENOMEM.
 */
int pmig_run_set_meta(struct pmig_run *run, const char *key, const char *value);
/** Value of @key or NULL. */
const char *pmig_run_get_meta(const struct pmig_run *run, const char *key);
size_t pmig_run_meta_count(const struct pmig_run *run);
/** The @i-th metadata pair in insertion order; -ERANGE past the end. */
int pmig_run_meta_at(const struct pmig_run *run, size_t i, const char **key,
		     const char **value);

/**
 * Copies @r (and its strings) into the run; returns the stored copy, which
 * stays valid until pmig_run_free(), or NULL with errno EINVAL (no name,
 * empty name, bad outcome) or ENOMEM. Bytes that are not valid UTF-8 are
 * copied as '?' so that every output format stays valid.
 */
const struct pmig_result *pmig_run_add(struct pmig_run *run,
				       const struct pmig_result *r);
size_t pmig_run_count(const struct pmig_run *run);
const struct pmig_result *pmig_run_result(const struct pmig_run *run, size_t i);

const char *pmig_run_suite(const struct pmig_run *run);
/** Time the run started: when it was created unless set; seconds since the Unix epoch. */
double pmig_run_start(const struct pmig_run *run);
/** Sets the start (e.g. of results read from a file); -EINVAL unless finite and > 0. */
int pmig_run_set_start(struct pmig_run *run, double start);

/** Counts per outcome into @totals[PMIG_OUTCOME_COUNT]. */
void pmig_run_totals(const struct pmig_run *run,
		     unsigned totals[PMIG_OUTCOME_COUNT]);

/**
 * kselftest exit code: 1 if any FAIL or ERROR, or an XPASS while XPASS
 * fails the run (the default), else 4 if every case was skipped (or there
 * were none), else 0. XFAIL does not fail a run.
 */
int pmig_run_exit_code(const struct pmig_run *run);

/*
 * An XPASS means a profile entry promised a known kernel bug that did not
 * show: the entry is stale, and by default that fails the run (exit code,
 * JUnit) so that a CI notices. @fails false makes it a note only.
 */
void pmig_run_set_xpass_fails(struct pmig_run *run, bool fails);
bool pmig_run_xpass_fails(const struct pmig_run *run);

/** "PASS", "FAIL", "SKIP", "XFAIL", "XPASS", "ERROR"; NULL outside the enum. */
const char *pmig_outcome_name(enum pmig_outcome o);

#endif
