/* compare.c - the benchmark regression rule: medians, the Mann-Whitney U test, the verdict. */
#include "compare.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tagged {
	double v;
	bool from_a;
};

static int cmp_tagged(const void *x, const void *y)
{
	double a = ((const struct tagged *)x)->v,
	       b = ((const struct tagged *)y)->v;

	return (a > b) - (a < b);
}

static bool all_finite(const double *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(s[i]))
			return false;
	return true;
}

int pmig_median(const double *s, size_t n, double *out)
{
	double *c;

	if (!s || !n || !out || !all_finite(s, n))
		return -EINVAL;
	c = malloc(n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(c, s, n * sizeof(*c));
	pmig_sort_doubles(c, n);
	*out = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return 0;
}

/*
 * Ranks the pooled samples (mid-ranks for ties), sums the ranks of @a
 * and the tie term sum(t^3 - t) over groups of t equal values.
 */
static int rank_sum(const double *a, size_t na, const double *b, size_t nb,
		    double *r_a, double *ties)
{
	size_t n = na + nb, i, j, k, a_in_group;
	struct tagged *t;

	t = malloc(n * sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		t[i] = (struct tagged){ a[i], true };
	for (i = 0; i < nb; i++)
		t[na + i] = (struct tagged){ b[i], false };
	qsort(t, n, sizeof(*t), cmp_tagged);
	*r_a = 0;
	*ties = 0;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && t[j].v == t[i].v; j++)
			;
		/* Positions i..j-1 share ranks i+1..j: each gets their mean. */
		a_in_group = 0;
		for (k = i; k < j; k++)
			a_in_group += t[k].from_a;
		*r_a += (double)a_in_group * ((double)(i + 1 + j) / 2);
		*ties += pow((double)(j - i), 3) - (double)(j - i);
	}
	free(t);
	return 0;
}

int pmig_mwu(const double *a, size_t na, const double *b, size_t nb,
	     struct pmig_mwu *out)
{
	double n1 = (double)na, n2 = (double)nb, n = n1 + n2;
	double r_a, ties, mu, var, d;
	int err;

	if (!a || !b || !na || !nb || !out || !all_finite(a, na) ||
	    !all_finite(b, nb))
		return -EINVAL;
	err = rank_sum(a, na, b, nb, &r_a, &ties);
	if (err)
		return err;
	out->u = r_a - n1 * (n1 + 1) / 2;
	mu = n1 * n2 / 2;
	/* The tie-corrected variance; n = 1 cannot happen (both sides >= 1). */
	var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
	if (var <= 0) {
		/* Every sample equal: no evidence of any difference. */
		out->z = 0;
		out->p = 1;
		return 0;
	}
	d = fabs(out->u - mu) - 0.5;
	if (d < 0)
		d = 0;
	out->z = copysign(d / sqrt(var), out->u - mu);
	out->p = erfc(fabs(out->z) / sqrt(2));
	if (out->p > 1)
		out->p = 1;
	return 0;
}

static bool rule_ok(const struct pmig_compare_rule *r)
{
	return r && isfinite(r->alpha) && r->alpha > 0 && r->alpha < 1 &&
	       isfinite(r->min_change) && r->min_change >= 0 &&
	       r->min_samples >= 1;
}

static double relative_change(double base, double new_m)
{
	if (base == new_m)
		return 0;
	if (base == 0)
		return new_m > 0 ? INFINITY : -INFINITY;
	return (new_m - base) / fabs(base);
}

int pmig_compare(const double *base, size_t n_base, const double *new_s,
		 size_t n_new, enum pmig_direction dir,
		 const struct pmig_compare_rule *rule,
		 struct pmig_comparison *out)
{
	double worse;
	int err;

	if (!out || !rule_ok(rule) ||
	    (dir != PMIG_LOWER_IS_BETTER && dir != PMIG_HIGHER_IS_BETTER) ||
	    (n_base && (!base || !all_finite(base, n_base))) ||
	    (n_new && (!new_s || !all_finite(new_s, n_new))))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->n_base = n_base;
	out->n_new = n_new;
	out->median_base = out->median_new = NAN;
	out->change = NAN;
	out->verdict = PMIG_VERDICT_INSUFFICIENT;
	if (n_base && (err = pmig_median(base, n_base, &out->median_base)))
		return err;
	if (n_new && (err = pmig_median(new_s, n_new, &out->median_new)))
		return err;
	if (n_base && n_new)
		out->change =
			relative_change(out->median_base, out->median_new);
	if (n_base < rule->min_samples || n_new < rule->min_samples)
		return 0;
	err = pmig_mwu(new_s, n_new, base, n_base, &out->test);
	if (err)
		return err;
	/* Positive when the new median is worse. */
	worse = dir == PMIG_LOWER_IS_BETTER ? out->change : -out->change;
	if (out->test.p < rule->alpha && worse >= rule->min_change)
		out->verdict = PMIG_VERDICT_REGRESSION;
	else if (out->test.p < rule->alpha && -worse >= rule->min_change)
		out->verdict = PMIG_VERDICT_IMPROVEMENT;
	else
		out->verdict = PMIG_VERDICT_SAME;
	return 0;
}

const char *pmig_verdict_name(enum pmig_verdict v)
{
	switch (v) {
	case PMIG_VERDICT_SAME:
		return "same";
	case PMIG_VERDICT_REGRESSION:
		return "REGRESSION";
	case PMIG_VERDICT_IMPROVEMENT:
		return "improvement";
	case PMIG_VERDICT_INSUFFICIENT:
		return "insufficient samples";
	}
	return NULL;
}

enum pmig_clocks pmig_compare_clocks(enum pmig_bj_clock base,
				     enum pmig_bj_clock new_c,
				     bool allow_emulated)
{
	/* Instruction counts against times is wrong whatever is allowed. */
	if ((base == PMIG_BJ_CLOCK_ICOUNT) != (new_c == PMIG_BJ_CLOCK_ICOUNT))
		return PMIG_CLOCKS_MIXED;
	if (base == PMIG_BJ_CLOCK_TCG || new_c == PMIG_BJ_CLOCK_TCG)
		return allow_emulated ? PMIG_CLOCKS_EMULATED_ALLOWED :
					PMIG_CLOCKS_EMULATED;
	return PMIG_CLOCKS_OK;
}

bool pmig_compare_cpu_models(const char *base, const char *new_c)
{
	return !base || !new_c || !strcmp(base, new_c);
}

int pmig_compare_rule_text(const struct pmig_compare_rule *rule, char *buf,
			   size_t size)
{
	if (!rule_ok(rule))
		return -EINVAL;
	return snprintf(
		buf, size,
		"regression = median worse by >= %g%% AND two-sided "
		"Mann-Whitney U p < %g (normal approximation, tie and "
		"continuity corrected) on the raw samples; fewer than %zu "
		"samples on a side = insufficient samples, never a regression",
		rule->min_change * 100, rule->alpha, rule->min_samples);
}
