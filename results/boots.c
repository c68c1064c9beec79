/* boots.c - the multi-boot regression rule: Welch t interval of the log ratio of boot medians, Student's t distribution, the spread of boots. */
#include "boots.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * The continued fraction of the regularized incomplete beta I_x(a, b)
 * (DLMF 8.17.22), evaluated by the modified Lentz method; it converges fast
 * for x < (a + 1) / (a + b + 2), and the caller swaps to 1 - I_{1-x}(b, a)
 * otherwise.
 */
static double beta_fraction(double x, double a, double b)
{
	const double tiny = 1e-300;
	double c = 1, d, f, num;
	int m;

	d = 1 - (a + b) * x / (a + 1);
	d = fabs(d) < tiny ? 1 / tiny : 1 / d;
	f = d;
	for (m = 1; m < 1000; m++) {
		double delta;
		int k;

		/* Two steps a round: the even coefficient, then the odd one. */
		for (k = 0; k < 2; k++) {
			if (!k)
				num = m * (b - m) * x /
				      ((a + 2 * m - 1) * (a + 2 * m));
			else
				num = -(a + m) * (a + b + m) * x /
				      ((a + 2 * m) * (a + 2 * m + 1));
			d = 1 + num * d;
			d = fabs(d) < tiny ? 1 / tiny : 1 / d;
			c = 1 + num / c;
			if (fabs(c) < tiny)
				c = tiny;
			delta = c * d;
			f *= delta;
		}
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return f;
}

static double incomplete_beta(double x, double a, double b)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
		    b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(x, a, b) / a;
	return 1 - front * beta_fraction(1 - x, b, a) / b;
}

double pmig_t_cdf(double t, double df)
{
	double tail;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(df))
		return 0.5 * erfc(-t / sqrt(2));
	if (isinf(t))
		return t > 0 ? 1 : 0;
	/* P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2). */
	tail = incomplete_beta(df / (df + t * t), df / 2, 0.5);
	return t >= 0 ? 1 - tail / 2 : tail / 2;
}

double pmig_t_quantile(double p, double df)
{
	double lo = 0, hi = 1;
	int i;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p < 0.5)
		return -pmig_t_quantile(1 - p, df);
	if (p == 0.5)
		return 0;
	while (pmig_t_cdf(hi, df) < p) {
		lo = hi;
		hi *= 2;
		if (hi > 1e300)
			return INFINITY;
	}
	/* The CDF is monotonic: bisection to the double's resolution. */
	for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = (lo + hi) / 2;

		if (pmig_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* Mean and sd (n - 1 divisor, 0 for one value) of ln(v); false if a v <= 0. */
static bool log_moments(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]) || v[i] <= 0)
			return false;
		s += log(v[i]);
	}
	*mean = s / (double)n;
	for (i = 0; i < n; i++)
		ss += (log(v[i]) - *mean) * (log(v[i]) - *mean);
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	return true;
}

int pmig_spread(const double *v, size_t n, struct pmig_spread *out)
{
	double mean;
	size_t i;

	if (!v || !n || !out || !log_moments(v, n, &mean, &out->sd))
		return -EINVAL;
	out->n = n;
	out->min = out->max = v[0];
	for (i = 1; i < n; i++) {
		out->min = fmin(out->min, v[i]);
		out->max = fmax(out->max, v[i]);
	}
	out->range = out->max / out->min - 1;
	return 0;
}

int pmig_compare_boots(const double *base, size_t n_base, const double *new_v,
		       size_t n_new, enum pmig_direction dir, double alpha,
		       double min_change, double layout_sd,
		       struct pmig_boot_comparison *out)
{
	double mb, mn, sb, sn, vb, vn, se, d, half, worse_lo, better_hi;

	if (!base || !new_v || !n_base || !n_new || !out ||
	    !(alpha > 0 && alpha < 1) || !(min_change >= 0) ||
	    !isfinite(min_change) || !(layout_sd >= 0) ||
	    !isfinite(layout_sd) ||
	    (dir != PMIG_LOWER_IS_BETTER && dir != PMIG_HIGHER_IS_BETTER) ||
	    !log_moments(base, n_base, &mb, &out->sd_base) ||
	    !log_moments(new_v, n_new, &mn, &out->sd_new))
		return -EINVAL;
	out->n_base = n_base;
	out->n_new = n_new;
	out->mean_base = exp(mb);
	out->mean_new = exp(mn);
	d = mn - mb;
	out->effect = expm1(d);
	out->lo = out->hi = NAN;
	out->df = NAN;
	out->floored = false;
	out->verdict = PMIG_VERDICT_INSUFFICIENT;
	if (n_base < 2 || n_new < 2)
		return 0;
	sb = fmax(out->sd_base, layout_sd);
	sn = fmax(out->sd_new, layout_sd);
	out->floored = sb > out->sd_base || sn > out->sd_new;
	vb = sb * sb / (double)n_base;
	vn = sn * sn / (double)n_new;
	se = sqrt(vb + vn);
	if (se > 0) {
		/* Welch-Satterthwaite; both sides have n >= 2. */
		out->df = (vb + vn) * (vb + vn) /
			  (vb * vb / (double)(n_base - 1) +
			   vn * vn / (double)(n_new - 1));
		half = pmig_t_quantile(1 - alpha / 2, out->df) * se;
	} else {
		/* No spread anywhere: the boots repeat exactly. */
		out->df = INFINITY;
		half = 0;
	}
	out->lo = expm1(d - half);
	out->hi = expm1(d + half);
	/* How much worse the interval's best case is, and how much better its worst. */
	worse_lo = dir == PMIG_LOWER_IS_BETTER ? out->lo : -out->hi;
	better_hi = dir == PMIG_LOWER_IS_BETTER ? -out->hi : out->lo;
	if (worse_lo >= min_change && worse_lo > 0)
		out->verdict = PMIG_VERDICT_REGRESSION;
	else if (better_hi >= min_change && better_hi > 0)
		out->verdict = PMIG_VERDICT_IMPROVEMENT;
	else
		out->verdict = PMIG_VERDICT_SAME;
	return 0;
}

int pmig_boots_rule_text(double alpha, double min_change, const char *floor,
			 char *buf, size_t size)
{
	if (!(alpha > 0 && alpha < 1) || !(min_change >= 0))
		return -EINVAL;
	return snprintf(
		buf, size,
		"each file is one boot, its median one value; effect = ratio of "
		"the sides' geometric means - 1, with a %g%% Welch t interval "
		"from the boot-to-boot spread of ln(median)%s%s; regression = "
		"the whole interval worse by >= %g%%; fewer than 2 boots on a "
		"side = insufficient",
		(1 - alpha) * 100, floor ? ", each side's sd at least " : "",
		floor ? floor : "", min_change * 100);
}
