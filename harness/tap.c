/* tap.c - streams results as TAP 13 for prove, kunit.py and LKFT. */
#include "output.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

void pmig_tap_begin(FILE *out, size_t plan)
{
	fprintf(out, "TAP version 13\n1..%zu\n", plan);
	fflush(out);
}

/* ASCII only: the program may have called setlocale(). */
static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Parsers split the line at " # ", so a name keeps to [A-Za-z0-9_.-]. */
static void put_name(FILE *out, const char *name)
{
	for (; *name; name++) {
		if (is_word_char(*name) || *name == '.' || *name == '-')
			fputc(*name, out);
		else
			fputc('_', out);
	}
}

/*
 * A reason stays on its result line: line breaks become spaces, and '#' is
 * written as TAP's "\#" because kunit.py takes any " # SKIP" on the line as
 * the directive.
 */
static void put_reason(FILE *out, const char *reason)
{
	for (; *reason; reason++) {
		if (*reason == '\n' || *reason == '\r')
			fputc(' ', out);
		else if (*reason == '#')
			fputs("\\#", out);
		else
			fputc(*reason, out);
	}
}

void pmig_tap_skip_all(FILE *out, const char *reason)
{
	fputs("TAP version 13\n1..0 # SKIP", out);
	if (reason && reason[0]) {
		fputc(' ', out);
		put_reason(out, reason);
	}
	fputc('\n', out);
	fflush(out);
}

/* prove takes "# skip ..." or "# todo ..." on a not-ok line as no failure. */
static bool looks_like_directive(const char *s)
{
	static const char *const words[] = { "skip", "todo" };
	size_t i;

	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if (!strncasecmp(s, words[i], n) && !is_word_char(s[n]))
			return true;
	}
	return false;
}

static void put_diag(FILE *out, const char *diag)
{
	const char *nl;

	while (*diag) {
		nl = strchr(diag, '\n');
		if (!nl)
			nl = diag + strlen(diag);
		if (nl == diag) {
			fputs("#\n", out);
		} else {
			fputs("# ", out);
			fwrite(diag, 1, nl - diag, out);
			fputc('\n', out);
		}
		diag = *nl ? nl + 1 : nl;
	}
}

/*
 * The directive of an outcome that is no plain pass or failure. XFAIL and
 * XPASS take TAP 13's TODO, which every TAP consumer knows: prove counts a
 * "not ok # TODO" as no failure and reports an "ok # TODO" as "TODO passed",
 * so a profile entry that went stale (the kernel got fixed) is seen. The
 * word after TODO keeps pmig's outcome for the readers that want it.
 */
static const char *directive_of(enum pmig_outcome o)
{
	switch (o) {
	case PMIG_SKIP:
		return "SKIP";
	case PMIG_XFAIL:
		return "TODO known:";
	case PMIG_XPASS:
		return "TODO XPASS:";
	case PMIG_ERROR:
		return "ERROR";
	default:
		return NULL;
	}
}

/* XFAIL is a failure (expected), XPASS a pass (unexpected): TAP says which happened. */
static bool tap_ok(enum pmig_outcome o)
{
	return o == PMIG_PASS || o == PMIG_SKIP || o == PMIG_XPASS;
}

void pmig_tap_result(FILE *out, size_t number, const struct pmig_result *r)
{
	const char *reason = r->reason && r->reason[0] ? r->reason : NULL;
	const char *dir = directive_of(r->outcome);

	if (r->diag)
		put_diag(out, r->diag);
	fprintf(out, "%s %zu ", tap_ok(r->outcome) ? "ok" : "not ok", number);
	put_name(out, r->name);
	if (dir) {
		fprintf(out, " # %s", dir);
		if (reason)
			fputc(' ', out);
	} else if (reason && r->outcome == PMIG_FAIL) {
		fputs(looks_like_directive(reason) ? " # FAIL " : " # ", out);
	} else {
		reason = NULL; /* a PASS line carries no directive */
	}
	if (reason)
		put_reason(out, reason);
	fputc('\n', out);
	fflush(out);
}

void pmig_tap_end(FILE *out, const struct pmig_run *run)
{
	unsigned t[PMIG_OUTCOME_COUNT];

	pmig_run_totals(run, t);
	fprintf(out,
		"# Totals: pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u\n",
		t[PMIG_PASS], t[PMIG_FAIL], t[PMIG_XFAIL], t[PMIG_XPASS],
		t[PMIG_SKIP], t[PMIG_ERROR]);
	fflush(out);
}
