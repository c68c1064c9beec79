/* boots.h - the multi-boot regression rule: one median per boot on each side, an effect with a Welch t interval from the boot-to-boot spread, a verdict; and that spread itself. */
#ifndef PMIG_BOOTS_H
#define PMIG_BOOTS_H

#include <stddef.h>

#include "compare.h"

/*
 * Why boots and not samples: under QEMU icount the calls of one boot repeat
 * to a few instructions, so a U test on them sees any boot-to-boot difference
 * as significant; but boots that differ only in layout (a kernel parameter
 * nothing reads, another build of pmig) differ by up to 7% on 6.12+ kernels
 * (bench/README.md). The unit of replication is the boot.
 *
 * The rule (pmig_compare_boots()), per benchmark: each boot's median is one
 * value v; x = ln v. d = mean(x_new) - mean(x_base) is the log of the ratio
 * of the sides' geometric means; its (1 - alpha) two-sided interval is
 * d +- t(1 - alpha/2, df) * se, se = sqrt(s_base^2/n_base + s_new^2/n_new)
 * with Welch's df. Each side's sd s is raised to @layout_sd when below it:
 * three boots can fall in one layout mode and show no spread at all, and a
 * spread measured over many boots (pmig compare --spread) is the better
 * estimate. effect, lo, hi are exp(d) - 1 and the interval's ends the same
 * way. A REGRESSION is an interval lying wholly on the worse side of
 * @min_change (lower bound >= min_change for a time); an IMPROVEMENT the same
 * in the good direction; SAME otherwise. Fewer than 2 boots on a side is
 * INSUFFICIENT (no spread to judge against).
 */
struct pmig_boot_comparison {
	size_t n_base, n_new;
	double mean_base, mean_new; /* geometric means of the boots' values */
	double sd_base,
		sd_new; /* sd of ln(value), as measured (~ relative sd) */
	bool floored; /* a side's sd was raised to layout_sd */
	double df; /* Welch's degrees of freedom; INFINITY when se is 0 */
	double effect, lo, hi; /* new / base - 1, and the interval */
	enum pmig_verdict verdict;
};

/**
 * Applies the rule above to @n_base values @base and @n_new values @new_v
 * (each a boot's median; positive and finite). -EINVAL for a bad value or
 * argument (alpha outside (0, 1), negative min_change or layout_sd).
 */
int pmig_compare_boots(const double *base, size_t n_base, const double *new_v,
		       size_t n_new, enum pmig_direction dir, double alpha,
		       double min_change, double layout_sd,
		       struct pmig_boot_comparison *out);

/** The rule in one sentence; snprintf's return, -EINVAL. */
int pmig_boots_rule_text(double alpha, double min_change, const char *floor,
			 char *buf, size_t size);

/** Spread of @n >= 1 boots' values (positive, finite). */
struct pmig_spread {
	size_t n;
	double min, max;
	double range; /* max / min - 1 */
	double sd; /* sd of ln(value) (n - 1 in the divisor; 0 for one) */
};

int pmig_spread(const double *v, size_t n, struct pmig_spread *out);

/** Student's t CDF at @t for @df > 0 degrees of freedom (real); NAN if bad. */
double pmig_t_cdf(double t, double df);
/** Its inverse: t with P(T <= t) = @p, 0 < @p < 1; NAN if bad. */
double pmig_t_quantile(double p, double df);

#endif
