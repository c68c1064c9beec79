/* specdoc.c - checks what the spec rows can still get wrong, and renders docs/SPEC.md. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "spec_cite.h"

/* Rows with @id from row @from on. */
static size_t rows_with_id(const char *id, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < pmig_spec_count; i++)
		n += !strcmp(pmig_spec_table[i].id, id);
	return n;
}

/* What TAP, JUnit and fnmatch filters take as a name unchanged. */
static bool plain_id(const char *id)
{
	return *id && strspn(id, "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_.-") == strlen(id);
}

/*
 * Each row is its case (registry.c builds both from spec/all.def), so what
 * is left to go wrong is in the rows themselves: an id given twice (the
 * runner would find the first row for both cases), an id that output
 * formats would rewrite, and profile entries that apply to nothing.
 */
int pmig_spec_check(FILE *err)
{
	int bad = 0;

	for (size_t i = 0; i < pmig_spec_count; i++) {
		const char *id = pmig_spec_table[i].id;
		size_t n = rows_with_id(id, i);

		if (n > 1 && rows_with_id(id, 0) == n) {
			fprintf(err, "spec row %s is declared %zu times\n", id,
				n);
			bad = 1;
		}
		if (!plain_id(id)) {
			fprintf(err,
				"spec row '%s': an id is only [A-Za-z0-9_.-]\n",
				id);
			bad = 1;
		}
	}
	for (size_t i = 0; i < pmig_profile_count; i++) {
		const struct pmig_profile_entry *p = &pmig_profiles[i];

		if (!pmig_spec_find(p->id)) {
			fprintf(err, "profile entry for unknown row %s\n",
				p->id);
			bad = 1;
		} else if (p->from >= p->until) {
			fprintf(err, "profile entry for %s: an empty range\n",
				p->id);
			bad = 1;
		} else if ((p->arch && !plain_id(p->arch)) ||
			   (p->page_size & (p->page_size - 1))) {
			/* uname -m never has spaces; a page is a power of two. */
			fprintf(err,
				"profile entry for %s: architecture '%s' or page size %zu can never match\n",
				p->id, p->arch ? p->arch : "", p->page_size);
			bad = 1;
		}
	}
	return bad | pmig_cite_check_spec(err);
}

static const char *kind_name(enum pmig_spec_kind k)
{
	return k == PMIG_KIND_RETURN ? "return" :
	       k == PMIG_KIND_STATUS ? "status" :
				       "invariant";
}

/* A table cell: '|' would end the cell early. */
static void cell(FILE *out, const char *text)
{
	for (; *text; text++) {
		if (*text == '|')
			fputc('\\', out);
		fputc(*text, out);
	}
}

/* "6.6", or "6.7 (unconfirmed)" where the audit has not confirmed it. */
static void release(FILE *out, const struct pmig_commit *c)
{
	char v[16];

	pmig_kver_format(c->release, v, sizeof(v));
	if (c->release >> 16 != 2)
		v[strlen(v) - 2] = '\0'; /* major.minor: ".0" is no sublevel */
	fprintf(out, "%s%s", v,
		pmig_commit_unconfirmed(c->release_seen) ? " (unconfirmed)" :
							   "");
}

static void stable(FILE *out, const struct pmig_commit *c, const char *sep)
{
	char v[16];

	for (const uint32_t *st = c->stable; st && *st; st++) {
		pmig_kver_format(*st, v, sizeof(v));
		fprintf(out, "%s%s", st == c->stable ? "" : sep, v);
	}
}

/* A row's commits under its origin: hash, subject, first release, backports. */
static void commits(FILE *out, const struct pmig_commit *const *c)
{
	for (; c && *c; c++) {
		fprintf(out, "<br>`%s` \"", (*c)->hash);
		cell(out, (*c)->subject);
		fputs("\" (", out);
		release(out, *c);
		if ((*c)->stable) {
			fputs("; stable ", out);
			stable(out, *c, ", ");
		}
		fputs(")", out);
	}
}

/* An entry's commits, after its citation: their hashes (the rows show the rest). */
static void entry_commits(FILE *out, const struct pmig_commit *const *c)
{
	for (const struct pmig_commit *const *i = c; i && *i; i++)
		fprintf(out, "%s`%s`%s", i == c ? " [" : ", ", (*i)->hash,
			i[1] ? "" : "]");
}

/* The audit: every cited commit and where its subject and release were confirmed. */
static void commit_table(FILE *out)
{
	fputs("\n## Cited commits\n\n"
	      "Every commit a row or profile entry cites (`conformance/spec/commits.def`), "
	      "with where its subject and first mainline release were confirmed "
	      "(`docs/CITATIONS.md`); \"unconfirmed\" says what is only believed. "
	      "A mail is named by its Message-ID.\n\n"
	      "| commit | subject | first release | stable backports | subject confirmed in | release confirmed in |\n"
	      "|---|---|---|---|---|---|\n",
	      out);
	for (size_t i = 0; i < pmig_commit_count; i++) {
		const struct pmig_commit *c = pmig_commits[i];

		fprintf(out, "| `%s` | ", c->hash);
		cell(out, c->subject);
		fputs(" | ", out);
		release(out, c);
		fputs(" | ", out);
		if (c->stable)
			stable(out, c, ", ");
		else
			fputs("-", out);
		fputs(" | ", out);
		cell(out, c->subject_seen);
		fputs(" | ", out);
		cell(out, c->release_seen);
		fputs(" |\n", out);
	}
}

static void versions(FILE *out, const struct pmig_spec *s)
{
	char from[16], until[16], e[32], where[64];
	int n = 0;

	for (size_t i = 0; i < pmig_profile_count; i++) {
		const struct pmig_profile_entry *p = &pmig_profiles[i];

		if (strcmp(p->id, s->id))
			continue;
		pmig_kver_format(p->from, from, sizeof(from));
		pmig_kver_format(p->until, until, sizeof(until));
		pmig_profile_where(p, where, sizeof(where));
		if (p->xfail)
			fprintf(out, "%sXFAIL on %s to before %s%s: ",
				n++ ? "<br>" : "", from, until, where);
		else
			fprintf(out, "%s`%s` on %s to before %s%s: ",
				n++ ? "<br>" : "",
				pmig_expect_text(p->expect, e, sizeof(e)), from,
				until, where);
		cell(out, p->cite);
		entry_commits(out, p->commits);
	}
	if (!n)
		fputs("-", out);
}

static const char *case_file(const char *id)
{
	for (size_t i = 0; i < pmig_case_count; i++)
		if (!strcmp(pmig_cases[i].id, id))
			return pmig_cases[i].file;
	return "-";
}

/* A recorded `pmig matrix` TSV: a header of run names, then id and cells. */
struct matrix {
	char **lines;
	size_t count;
};

static int matrix_read(const char *path, struct matrix *m)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	m->lines = NULL;
	m->count = 0;
	if (!f)
		return -1;
	while ((len = getline(&line, &cap, f)) > 0) {
		char **grown =
			realloc(m->lines, (m->count + 1) * sizeof(*m->lines));

		if (!grown)
			break;
		m->lines = grown;
		line[strcspn(line, "\n")] = '\0';
		m->lines[m->count++] = strdup(line);
	}
	free(line);
	fclose(f);
	if (!m->count || strncmp(m->lines[0], "id\t", 3)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* The cells of @id's row after the id (tab separated), or NULL. */
static const char *matrix_row(const struct matrix *m, const char *id)
{
	size_t len = strlen(id);

	for (size_t i = 1; i < m->count; i++)
		if (!strncmp(m->lines[i], id, len) && m->lines[i][len] == '\t')
			return m->lines[i] + len + 1;
	return NULL;
}

static void tab_cells(FILE *out, const char *cells, size_t columns)
{
	size_t n = 0;

	while (cells && n < columns) {
		const char *end = strchr(cells, '\t');
		size_t len = end ? (size_t)(end - cells) : strlen(cells);

		fprintf(out, " %.*s |", (int)len, cells);
		n++;
		cells = end ? end + 1 : NULL;
	}
	for (; n < columns; n++)
		fputs(" not run |", out);
}

static void results(FILE *out, const struct matrix *m, const char *path)
{
	const char *header = m->lines[0] + 3;
	size_t columns = 1;

	for (const char *c = header; *c; c++)
		columns += *c == '\t';
	fprintf(out,
		"\n## Results: `%s`\n\n"
		"Each row's case (same id) and its outcome on every run of the "
		"recorded matrix (written by `pmig matrix --record`); a column "
		"is SUITE[/FLAVOUR]/TOPOLOGY (kernel release). A "
		"value after the outcome is what that kernel's profile expects "
		"instead of today's mainline value.\n\n| id | case in |",
		path);
	tab_cells(out, header, columns);
	fputs("\n|---|---|", out);
	for (size_t i = 0; i < columns; i++)
		fputs("---|", out);
	fputc('\n', out);
	for (size_t i = 0; i < pmig_spec_count; i++) {
		const char *id = pmig_spec_table[i].id;

		fprintf(out, "| `%s` | `%s` |", id, case_file(id));
		tab_cells(out, matrix_row(m, id), columns);
		fputc('\n', out);
	}
}

/*
 * Each recorded matrix of the comma-separated @paths as its own results section;
 * with @out NULL, only whether every one reads.
 */
static int results_all(FILE *out, const char *paths)
{
	char *list = strdup(paths), *save = NULL;
	int rc = list ? 0 : -1;

	for (char *p = list ? strtok_r(list, ",", &save) : NULL; p && !rc;
	     p = strtok_r(NULL, ",", &save)) {
		struct matrix m = { NULL, 0 };

		rc = matrix_read(p, &m);
		if (!rc && out)
			results(out, &m, p);
		for (size_t i = 0; i < m.count; i++)
			free(m.lines[i]);
		free(m.lines);
	}
	free(list);
	return rc;
}

int pmig_spec_markdown(FILE *out, const char *matrices)
{
	char e[32], needs[64];

	/* Unreadable matrices fail before anything is printed. */
	if (matrices && results_all(NULL, matrices))
		return -1;

	fputs("# pmig conformance spec\n\n"
	      "Generated by `make docs` from `conformance/spec/*.def`; "
	      "do not edit by hand.\n\n"
	      "*Today* is what mainline expects; *2006 spec* is what the original "
	      "patch text says (`seeds/003` for move_pages, `seeds/000` for "
	      "migrate_pages); *other kernels* lists the version ranges where "
	      "a profile expects something else, or where a known bug is an XFAIL. "
	      "Kernel versions are shown as major.minor.sublevel; 0.0.0 means "
	      "\"since the syscall exists\". A range marked \"(aarch64 only)\" "
	      "or \"(16K pages only)\" holds on that architecture (as `uname -m` "
	      "says it) or base page size alone, and there wins over an unmarked "
	      "one. Rows speak of base pages and huge pages: their sizes are the "
	      "machine's (4 KiB and 2 MiB on x86-64, 16 KiB and 32 MiB on arm64 "
	      "with 16K pages, 64 KiB and 2 MiB on ppc64le).\n\n"
	      "| id | kind | today | 2006 spec | needs | condition | origin | other kernels |\n"
	      "|---|---|---|---|---|---|---|---|\n",
	      out);
	for (size_t i = 0; i < pmig_spec_count; i++) {
		const struct pmig_spec *s = &pmig_spec_table[i];

		fprintf(out, "| `%s` | %s | `%s` | ", s->id, kind_name(s->kind),
			pmig_expect_text(s->expect, e, sizeof(e)));
		cell(out, s->spec2006 ? s->spec2006 : "-");
		fprintf(out, " | %s | ",
			pmig_needs_text(s->needs, needs, sizeof(needs)));
		cell(out, s->condition);
		fputs(" | ", out);
		cell(out, s->origin);
		commits(out, s->commits);
		fputs(" | ", out);
		versions(out, s);
		fputs(" |\n", out);
	}
	commit_table(out);
	return matrices ? results_all(out, matrices) : 0;
}
