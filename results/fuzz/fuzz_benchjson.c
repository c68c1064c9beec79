/* fuzz_benchjson.c - libFuzzer target: any text through pmig_bj_parse(), then every benchmark's samples, summary and result-model form, and every tiering run through its reader. */
#include "bench_results.h"
#include "benchjson.h"
#include "tiering.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256], *text = malloc(size + 1), *name;
	struct pmig_bench_summary sum;
	struct pmig_run *run;
	struct pmig_bj *bj;
	struct pmig_tier t;
	const char *msg;
	double *s;
	ssize_t n;
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pmig_bj_parse(text, &bj, why, sizeof(why))) {
		free(text);
		return 0;
	}
	pmig_bj_context(bj, "host_name");
	for (i = 0; i < bj->nbenches; i++) {
		const struct pmig_bj_bench *b = &bj->benches[i];

		/* Every benchmark the reader lists must be found by its name. */
		if (!pmig_bj_find(bj, b->name))
			abort();
		pmig_bj_bench_state(bj, b, &msg);
		pmig_bj_has_calls(bj, b);
		if (b->n)
			pmig_bj_counter(pmig_bj_entry_of(bj, b, 0),
					"bytes_per_second");
		n = pmig_bj_time_samples(bj, b, true, &s);
		free(n > 0 ? s : NULL);
		n = pmig_bj_time_samples(bj, b, false, &s);
		free(n > 0 ? s : NULL);
		n = pmig_bj_counter_samples(bj, b, "bytes_per_second", &s);
		free(n > 0 ? s : NULL);
		pmig_bench_summarize(bj, b, &sum);
		name = pmig_bench_result_name(b->name);
		free(name);
	}
	for (i = 0; i < bj->nentries; i++) {
		if (!bj->entries[i].tiering ||
		    pmig_tier_read(&bj->entries[i], &t, why, sizeof(why)))
			continue;
		/* The reader's promise: equal-length arrays of checked values. */
		for (size_t k = 0; k < t.tl.n; k++)
			if (!(t.tl.goal[k] >= 0 && t.tl.goal[k] <= 1) ||
			    (k && t.tl.t_ns[k] < t.tl.t_ns[k - 1]) ||
			    (t.tl.cold_near && !(t.tl.cold_near[k] <= 1)))
				abort();
		pmig_tier_counter(&t, "pswpout");
		pmig_tier_release(&t);
	}
	run = pmig_bench_run_from_json(bj);
	pmig_run_free(run);
	pmig_bj_free(bj);
	free(text);
	return 0;
}
