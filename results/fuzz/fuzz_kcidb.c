/* fuzz_kcidb.c - libFuzzer target: a conform.kcidb.json as `pmig report` reads it, through its whole conformance section. */
#include "report.h"
#include "fuzz/fuzz_file.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[PATH_MAX];
	static FILE *null;
	struct report_doc d;

	/* The section reads the run directory's file, so the input is that file. */
	if (!null) {
		snprintf(path, sizeof(path), "%s/conform.kcidb.json",
			 fuzz_dir());
		null = fopen("/dev/null", "w");
		if (!null)
			abort();
	}
	fuzz_write(path, data, size);
	memset(&d, 0, sizeof(d));
	d.md = d.html = null;
	d.dir = fuzz_dir();
	report_conformance(&d);
	free(d.why);
	free(d.bad_input);
	return 0;
}
