/* fuzz_compare.c - libFuzzer target: pmig compare's path, two benchmark JSON texts (split at the first NUL) parsed, then every shared benchmark through the regression rule. */
#include "benchjson.h"
#include "compare.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The rule as pmig compare applies it: per call when both sides have calls, else per repetition; then a counter. */
static void compare_bench(const struct pmig_bj *base,
			  const struct pmig_bj_bench *bb,
			  const struct pmig_bj *new_j,
			  const struct pmig_bj_bench *nb)
{
	const struct pmig_compare_rule rule = PMIG_COMPARE_RULE_DEFAULT;
	bool per_call =
		pmig_bj_has_calls(base, bb) && pmig_bj_has_calls(new_j, nb);
	struct pmig_comparison c;
	double *sb = NULL, *sn = NULL;
	ssize_t nsb, nsn;

	nsb = pmig_bj_time_samples(base, bb, per_call, &sb);
	nsn = pmig_bj_time_samples(new_j, nb, per_call, &sn);
	if (nsb >= 0 && nsn >= 0 &&
	    !pmig_compare(sb, (size_t)nsb, sn, (size_t)nsn,
			  PMIG_LOWER_IS_BETTER, &rule, &c))
		pmig_verdict_name(c.verdict);
	free(nsb > 0 ? sb : NULL);
	free(nsn > 0 ? sn : NULL);
	sb = sn = NULL;
	nsb = pmig_bj_counter_samples(base, bb, "bytes_per_second", &sb);
	nsn = pmig_bj_counter_samples(new_j, nb, "bytes_per_second", &sn);
	if (nsb >= 0 && nsn >= 0)
		pmig_compare(sb, (size_t)nsb, sn, (size_t)nsn,
			     PMIG_HIGHER_IS_BETTER, &rule, &c);
	free(nsb > 0 ? sb : NULL);
	free(nsn > 0 ? sn : NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pmig_bj *base = NULL, *new_j = NULL;
	char why[256], *text = malloc(size + 1), *second;
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* Without a NUL the file is compared with itself. */
	second = strlen(text) < size ? text + strlen(text) + 1 : text;
	if (!pmig_bj_parse(text, &base, why, sizeof(why)) &&
	    !pmig_bj_parse(second, &new_j, why, sizeof(why)))
		for (i = 0; i < base->nbenches; i++) {
			const struct pmig_bj_bench *nb =
				pmig_bj_find(new_j, base->benches[i].name);

			if (nb)
				compare_bench(base, &base->benches[i], new_j,
					      nb);
		}
	pmig_bj_free(base);
	pmig_bj_free(new_j);
	free(text);
	return 0;
}
