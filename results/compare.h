/* compare.h - the benchmark regression rule: raw samples of a base and a new run in, a verdict out. */
#ifndef PMIG_COMPARE_H
#define PMIG_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "benchjson.h"

/*
 * The rule (pmig_compare()): a benchmark REGRESSES when both
 *   - its median is worse by at least rule.min_change (relative to the
 *     base median, in the metric's bad direction), and
 *   - a two-sided Mann-Whitney U test of the two sample sets gives
 *     p < rule.alpha (normal approximation with tie correction and
 *     continuity correction, as scipy's mannwhitneyu(method="asymptotic")).
 * It IMPROVES under the same two conditions in the good direction, and is
 * the SAME otherwise. With fewer than rule.min_samples samples on either
 * side the verdict is INSUFFICIENT, never a regression.
 *
 * Error rule as the rest of the library: 0 or -errno.
 */

/** Which way is worse: time per call up, throughput down. */
enum pmig_direction {
	PMIG_LOWER_IS_BETTER,
	PMIG_HIGHER_IS_BETTER,
};

enum pmig_verdict {
	PMIG_VERDICT_SAME,
	PMIG_VERDICT_REGRESSION,
	PMIG_VERDICT_IMPROVEMENT,
	PMIG_VERDICT_INSUFFICIENT,
};

struct pmig_compare_rule {
	double alpha; /* significance level of the two-sided U test */
	double min_change; /* minimum relative change of the medians, 0.05 = 5% */
	size_t min_samples; /* on each side */
};

/* 5% level, 5% change, 5 samples a side (the fewest for which a two-sided
 * 5% test can reject at all is 4 a side; one more for margin). */
#define PMIG_COMPARE_RULE_DEFAULT    \
	((struct pmig_compare_rule){ \
		.alpha = 0.05, .min_change = 0.05, .min_samples = 5 })

/*
 * The minimum change for two instruction-counted runs (QEMU icount): the same
 * build repeats to the nanosecond, and a changed environment (another kernel
 * command line, other bytes in the initramfs) moved medians by at most 0.7%
 * when measured (bench/README.md), so 1% sees a 2% slowdown with no false alarm.
 */
#define PMIG_COMPARE_ICOUNT_MIN_CHANGE 0.01

/** The Mann-Whitney U test of samples @a against @b. */
struct pmig_mwu {
	double u; /* U of @a: pairs (a_i, b_j) with a_i > b_j, ties count 1/2 */
	double z; /* standardized, continuity-corrected; 0 when no spread */
	double p; /* two-sided p-value; 1 when every sample is equal */
};

/**
 * Mann-Whitney U of @a (@na samples) against @b (@nb) with mid-ranks for
 * ties. -EINVAL when a side is empty or a sample is not finite, -ENOMEM.
 */
int pmig_mwu(const double *a, size_t na, const double *b, size_t nb,
	     struct pmig_mwu *out);

/** Median of @n samples (mean of the middle two when @n is even); -EINVAL, -ENOMEM. */
int pmig_median(const double *s, size_t n, double *out);

struct pmig_comparison {
	size_t n_base, n_new;
	double median_base, median_new;
	double change; /* (median_new - median_base) / |median_base| */
	struct pmig_mwu test; /* zero when INSUFFICIENT */
	enum pmig_verdict verdict;
};

/**
 * Applies @rule to @base and @new (raw samples, any unit, same for both).
 * Empty sides give INSUFFICIENT. -EINVAL for a non-finite sample or a bad
 * rule, -ENOMEM.
 */
int pmig_compare(const double *base, size_t n_base, const double *new_s,
		 size_t n_new, enum pmig_direction dir,
		 const struct pmig_compare_rule *rule,
		 struct pmig_comparison *out);

/*
 * Which pairs of files the rule may judge, by how their times were taken
 * (benchjson.h's clock). Plain TCG (QEMU without icount) times the host's
 * emulation as much as the guest's code: two runs of one build differ by
 * about 20% (results/README.md), so a "regression" there is noise. Those
 * are refused unless asked for, and then said to be functional only.
 */
enum pmig_clocks {
	PMIG_CLOCKS_OK, /* a host's clock on both sides, or icount on both */
	PMIG_CLOCKS_MIXED, /* icount on one side only: different units, refused */
	PMIG_CLOCKS_EMULATED, /* plain TCG on a side: refused */
	PMIG_CLOCKS_EMULATED_ALLOWED, /* the same, compared as asked */
};

/** What the rule may do with a base of clock @base and a new file of @new_c. */
enum pmig_clocks pmig_compare_clocks(enum pmig_bj_clock base,
				     enum pmig_bj_clock new_c,
				     bool allow_emulated);

/*
 * Whether figures counted on QEMU CPU models @base and @new_c (NULL: not
 * recorded) may be compared: the kernel picks its page copy and clear
 * routines by the model's features, and under icount a rep-string loop
 * counts once per iteration, so the same move counts 1.5 to 2 times the
 * instructions on one model as on another (bench/README.md). Two recorded
 * models that differ are refused whatever the clock; a file that records
 * none (from before the key, or no guest) is compared as before.
 */
bool pmig_compare_cpu_models(const char *base, const char *new_c);

/** "REGRESSION", "improvement", "same", "insufficient samples". */
const char *pmig_verdict_name(enum pmig_verdict v);

/**
 * The rule in one sentence, for output and docs; writes at most @size
 * bytes (snprintf's return).
 */
int pmig_compare_rule_text(const struct pmig_compare_rule *rule, char *buf,
			   size_t size);

#endif
