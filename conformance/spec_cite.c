/* spec_cite.c - checks the spec's commit citations: hashes, the audit, and versions that agree with the commits cited. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_cite.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool plain_hash(const char *h)
{
	size_t n = 0;

	while (h[n] && is_hex(h[n]))
		n++;
	return n == 12 && !h[n];
}

static bool in_table(const struct pmig_cite_tables *t,
		     const struct pmig_commit *c)
{
	for (size_t i = 0; i < t->ncommits; i++)
		if (t->commits[i] == c)
			return true;
	return false;
}

/* @v is @c's first release or one of its stable backports. */
static bool released_at(const struct pmig_commit *c, uint32_t v)
{
	if (v == c->release)
		return true;
	for (const uint32_t *s = c->stable; s && *s; s++)
		if (v == *s)
			return true;
	return false;
}

static const struct pmig_commit *cited(const struct pmig_commit *const *list,
				       const char *hash, size_t len)
{
	for (; list && *list; list++)
		if (!strncmp((*list)->hash, hash, len) && !(*list)->hash[len])
			return *list;
	return NULL;
}

static int check_commits(FILE *err, const struct pmig_cite_tables *t)
{
	int bad = 0;

	for (size_t i = 0; i < t->ncommits; i++) {
		const struct pmig_commit *c = t->commits[i];

		if (!plain_hash(c->hash)) {
			fprintf(err,
				"commit '%s': a hash is 12 lowercase hex digits\n",
				c->hash);
			bad = 1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t->commits[j]->hash, c->hash)) {
				fprintf(err, "commit %s is listed twice\n",
					c->hash);
				bad = 1;
			}
		/* Before 3.0 a release was 2.6.x: there the third number counts. */
		if (!c->release ||
		    ((c->release & 0xff) && c->release >> 16 != 2)) {
			fprintf(err,
				"commit %s: its first release is a mainline major.minor (2.6.x before 3.0)\n",
				c->hash);
			bad = 1;
		}
		for (const uint32_t *s = c->stable; s && *s; s++)
			if (*s >= c->release) {
				fprintf(err,
					"commit %s: a stable backport comes before its first release\n",
					c->hash);
				bad = 1;
			}
		if (!*c->subject || !*c->subject_seen || !*c->release_seen) {
			fprintf(err,
				"commit %s: its subject and both audit fields must be given (\"unconfirmed\" when they are not)\n",
				c->hash);
			bad = 1;
		}
	}
	return bad;
}

/* "6.1" or "4.12.9" at @p, followed by one of ",;)? "; 0 otherwise. */
static uint32_t version_at(const char *p, const char **end)
{
	unsigned long part[3] = { 0, 0, 0 };
	int n = 0;

	while (n < 3 && isdigit((unsigned char)*p)) {
		char *e;

		part[n++] = strtoul(p, &e, 10);
		p = e;
		if (*p != '.' || !isdigit((unsigned char)p[1]))
			break;
		p++;
	}
	if (n < 2 || !strchr(",;)? ", *p) || !*p)
		return 0;
	*end = p;
	return PMIG_KV(part[0], part[1], part[2]);
}

/*
 * The prose of one citation against its data: every hash it mentions is
 * cited, and a version written right after one, "HASH (X.Y", is that
 * commit's first release or a stable backport of it; where the audit has
 * not confirmed the release, the prose says so with '?' ("(4.3?)").
 */
static int check_prose(FILE *err, const char *what, const char *text,
		       const struct pmig_commit *const *commits)
{
	int bad = 0;

	for (const char *p = text; *p; p++) {
		const struct pmig_commit *c;
		const char *end;
		size_t n = 0;
		uint32_t v;

		/* A dotted run is a Message-ID's or a version's, not a hash. */
		if (p != text &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '.'))
			continue;
		while (is_hex(p[n]))
			n++;
		if (n != 12 || isalnum((unsigned char)p[n]) ||
		    (p[n] == '.' && isalnum((unsigned char)p[n + 1])))
			continue;
		c = cited(commits, p, n);
		if (!c) {
			fprintf(err,
				"%s: mentions %.12s without citing it as data (PMIG_CITE)\n",
				what, p);
			bad = 1;
			continue;
		}
		if (strncmp(p + n, " (", 2))
			continue;
		v = version_at(p + n + 2, &end);
		if (!v)
			continue;
		if (!released_at(c, v)) {
			char want[16];

			pmig_kver_format(c->release, want, sizeof(want));
			fprintf(err,
				"%s: says %.*s for %s, first released in %s\n",
				what, (int)(end - (p + n + 2)), p + n + 2,
				c->hash, want);
			bad = 1;
		} else if (pmig_commit_unconfirmed(c->release_seen) &&
			   *end != '?') {
			fprintf(err,
				"%s: asserts %s's release, which the audit has not confirmed (write it with '?')\n",
				what, c->hash);
			bad = 1;
		}
	}
	return bad;
}

static int check_listed(FILE *err, const char *what,
			const struct pmig_cite_tables *t,
			const struct pmig_commit *const *commits)
{
	int bad = 0;

	for (; commits && *commits; commits++)
		if (!in_table(t, *commits)) {
			fprintf(err,
				"%s: cites %s, which spec/commits.def (the audit) does not list\n",
				what, (*commits)->hash);
			bad = 1;
		}
	return bad;
}

/*
 * @v is the first release of the series after one of @c's stable backports
 * (6.2 after 6.1.57): where a range of kernels without the fix resumes.
 */
static bool after_backport_series(const struct pmig_commit *c, uint32_t v)
{
	for (const uint32_t *s = c->stable; s && *s; s++)
		if (v == ((*s & 0xffff00u) + 0x100u))
			return true;
	return false;
}

/*
 * A boundary other than "since the syscall" and "to today" needs a cited
 * commit released there, backported there, or whose backported series ends
 * there.
 */
static bool boundary_explained(uint32_t v, const struct pmig_commit *const *c)
{
	if (v == 0 || v == PMIG_KV_MAX)
		return true;
	for (; *c; c++)
		if (released_at(*c, v) || after_backport_series(*c, v))
			return true;
	return false;
}

/* @v is where @c arrives in some series: its first release or a backport. */
static bool arrives_at(const struct pmig_commit *c, uint32_t v)
{
	return v && released_at(c, v);
}

/*
 * A range that ends where @c arrives and does not begin there says "before
 * @c" (an entry from @c on begins at one of its releases instead): a
 * backport of @c inside it is a kernel that has @c, which the range says
 * is not yet there. Refuses each one with a line naming the row and the
 * backport.
 */
static int check_backports_inside(FILE *err, const char *what,
				  const struct pmig_profile_entry *p,
				  const struct pmig_commit *c)
{
	char v[16], next[16];
	int bad = 0;

	if (!arrives_at(c, p->until) || arrives_at(c, p->from))
		return 0;
	for (const uint32_t *s = c->stable; s && *s; s++) {
		if (*s < p->from || *s >= p->until)
			continue;
		pmig_kver_format(*s, v, sizeof(v));
		pmig_kver_format((*s & 0xffff00u) + 0x100u, next, sizeof(next));
		fprintf(err,
			"%s: covers %s, which carries %s's backport (spec/commits.def), where the range says it is not yet there: end it at %s and resume at %s\n",
			what, v, c->hash, v, next);
		bad = 1;
	}
	return bad;
}

int pmig_cite_check(FILE *err, const struct pmig_cite_tables *t)
{
	int bad = check_commits(err, t);
	char what[160];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct pmig_spec *s = &t->rows[i];

		snprintf(what, sizeof(what), "spec row %s", s->id);
		bad |= check_listed(err, what, t, s->commits);
		bad |= check_prose(err, what, s->origin, s->commits);
	}
	for (size_t i = 0; i < t->nentries; i++) {
		const struct pmig_profile_entry *p = &t->entries[i];
		char from[16], until[16];

		pmig_kver_format(p->from, from, sizeof(from));
		pmig_kver_format(p->until, until, sizeof(until));
		snprintf(what, sizeof(what), "profile entry for %s [%s, %s)",
			 p->id, from, until);
		bad |= check_listed(err, what, t, p->commits);
		bad |= check_prose(err, what, p->cite, p->commits);
		if (p->commits && (!boundary_explained(p->from, p->commits) ||
				   !boundary_explained(p->until, p->commits))) {
			fprintf(err,
				"%s: a boundary is not the first release (or a listed stable backport) of a commit it cites\n",
				what);
			bad = 1;
		}
		for (const struct pmig_commit *const *c = p->commits; c && *c;
		     c++)
			bad |= check_backports_inside(err, what, p, *c);
	}
	return bad;
}

int pmig_cite_check_spec(FILE *err)
{
	const struct pmig_cite_tables t = {
		.commits = pmig_commits,
		.ncommits = pmig_commit_count,
		.rows = pmig_spec_table,
		.nrows = pmig_spec_count,
		.entries = pmig_profiles,
		.nentries = pmig_profile_count,
	};

	return pmig_cite_check(err, &t);
}
