/* size.c - parses and prints sizes with K, M and G suffixes (powers of 1024), and prints measurements with metric prefixes. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "size.h"

size_t pmig_size_parse(const char *s)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return 0;
	if (*end == 'K' || *end == 'M' || *end == 'G')
		shift = *end == 'K' ? 10 : *end == 'M' ? 20 : 30;
	if (shift)
		end++;
	if (*end || v == 0 || v > (~0ULL >> 1 >> shift))
		return 0;
	return (size_t)(v << shift);
}

size_t pmig_size_ram(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || page <= 0)
		return SIZE_MAX;
	if ((unsigned long)pages > SIZE_MAX / (unsigned long)page)
		return SIZE_MAX;
	return (size_t)pages * (size_t)page;
}

const char *pmig_size_format(size_t bytes, char *buf, size_t len)
{
	static const char units[] = "GMK";

	for (int i = 0; i < 3; i++) {
		size_t unit = (size_t)1 << (10 * (3 - i));

		if (bytes >= unit && bytes % unit == 0) {
			snprintf(buf, len, "%zu%c", bytes / unit, units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%zu", bytes);
	return buf;
}

int pmig_size_list_parse(const char *s, size_t *out, int max)
{
	char *copy = strdup(s ? s : ""), *save = NULL, *tok;
	int n = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t v = pmig_size_parse(tok);

		if (!v || n == max) {
			n = -EINVAL;
			break;
		}
		out[n++] = v;
	}
	free(copy);
	return n == 0 ? -EINVAL : n;
}

const char *pmig_measure_format(double v, const char *unit, int digits,
				char *buf, size_t len)
{
	static const struct {
		double scale;
		const char *prefix;
	} down[] = { { 1, "" }, { 1e-3, "m" }, { 1e-6, "u" }, { 1e-9, "n" } },
	  up[] = { { 1e15, "P" }, { 1e12, "T" }, { 1e9, "G" },
		   { 1e6, "M" },  { 1e3, "k" },	 { 1, "" } };
	size_t i;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* One division by the step's scale: no rounding piles up at a step's edge. */
	if (!strcmp(unit, "s")) {
		/* A time keeps its last step (ns) for anything smaller, 0 too. */
		for (i = 0; i + 1 < sizeof(down) / sizeof(down[0]); i++)
			if (fabs(v) >= down[i].scale)
				break;
		snprintf(buf, len, "%.*g %ss", digits, v / down[i].scale,
			 down[i].prefix);
		return buf;
	}
	for (i = 0; i + 1 < sizeof(up) / sizeof(up[0]); i++)
		if (fabs(v) >= up[i].scale)
			break;
	snprintf(buf, len, "%.*g %s%s", digits, v / up[i].scale, up[i].prefix,
		 unit);
	return buf;
}
