/* tier_goal.c - the tiering goal's rule and its figures in words, shared by pmig bench and the readers of its JSON. */
#include <math.h>
#include <stdio.h>

#include "size.h"
#include "tier_goal.h"

bool pmig_tier_goal_reached(const struct pmig_tier_figures *f)
{
	return f->goal_pages >= 0 && f->moved_pages == f->goal_pages &&
	       f->wrong_pages == 0 && isfinite(f->t100_ns);
}

static const char *count(long v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld", v);
	return buf;
}

static const char *when(double ns, char *buf, size_t len)
{
	if (!isfinite(ns))
		snprintf(buf, len, "never");
	else
		pmig_measure_format(ns / 1e9, "s", 3, buf, len);
	return buf;
}

const char *pmig_tier_goal_text(const struct pmig_tier_figures *f, char *buf,
				size_t len)
{
	char c[4][24], t90[24], t100[24], watched[24], limit[24];
	size_t used;

	used = (size_t)snprintf(
		buf, len,
		"moved %s/%s goal pages, %s wrong, %s swapped, t90 %s, t100 %s",
		count(f->moved_pages, c[0], sizeof(c[0])),
		count(f->goal_pages, c[1], sizeof(c[1])),
		count(f->wrong_pages, c[2], sizeof(c[2])),
		count(f->swapped_pages, c[3], sizeof(c[3])),
		when(f->t90_ns, t90, sizeof(t90)),
		when(f->t100_ns, t100, sizeof(t100)));
	if (isfinite(f->t100_ns) || used >= len)
		return buf;
	/* Never: how long it was given, so the reader sees the limit came first. */
	pmig_measure_format(f->duration_ns / 1e9, "s", 3, watched,
			    sizeof(watched));
	pmig_measure_format(f->limit_s, "s", 3, limit, sizeof(limit));
	if (isfinite(f->duration_ns) && isfinite(f->limit_s))
		snprintf(buf + used, len - used, " (watched %s, limit %s)",
			 watched, limit);
	else if (isfinite(f->duration_ns))
		snprintf(buf + used, len - used, " (watched %s)", watched);
	else if (isfinite(f->limit_s))
		snprintf(buf + used, len - used, " (limit %s)", limit);
	return buf;
}
