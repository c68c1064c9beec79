/* test_output.c - tests the result model and its TAP, JUnit, KCIDB writers. */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "output.h"
#include "result.h"

#define SUITE "pmig.conform"

/* 2024-03-05T06:07:08.25Z, a fixed case start for exact timestamps. */
#define CASE_START 1709618828.25

static struct pmig_result mk(const char *name, enum pmig_outcome o,
			     const char *reason, const char *diag)
{
	struct pmig_result r = {
		.name = name,
		.outcome = o,
		.reason = reason,
		.diag = diag,
		.start = CASE_START,
		.duration = 0.5,
	};

	return r;
}

static void add(struct pmig_run *run, const char *name, enum pmig_outcome o,
		const char *reason, const char *diag)
{
	struct pmig_result r = mk(name, o, reason, diag);

	assert_non_null(pmig_run_add(run, &r));
}

/* One case per outcome, plus metadata, as the writers see a real run. */
static struct pmig_run *sample_run(void)
{
	struct pmig_run *run = pmig_run_new(SUITE);

	assert_non_null(run);
	assert_int_equal(pmig_run_set_meta(run, "kernel", "6.1.0-18-amd64"), 0);
	assert_int_equal(pmig_run_set_meta(run, "hostname", "testhost"), 0);
	assert_int_equal(pmig_run_set_meta(run, "profile", "linux-6.1"), 0);
	add(run, "move_pages.status.ok", PMIG_PASS, NULL, "pass diag");
	add(run, "move_pages.status.enoent", PMIG_FAIL, "status 0 != -2",
	    "check.c:10: status[0]\nexpected -ENOENT");
	add(run, "mbind.move_all", PMIG_SKIP, "needs CAP_SYS_NICE", NULL);
	add(run, "migrate_pages.einval", PMIG_XFAIL, "bug 1234", "known");
	add(run, "move_pages.efault", PMIG_XPASS, "fixed upstream", "xp diag");
	add(run, "nodot", PMIG_ERROR, "timeout after 30 s", "killed");
	return run;
}

/* -------------------------------------------------------------------- */
/* Result model */

static void test_run_new(void **state)
{
	char suite[] = SUITE;
	struct pmig_run *run = pmig_run_new(suite);
	double now = (double)time(NULL);

	(void)state;
	assert_non_null(run);
	suite[0] = 'X';
	assert_string_equal(pmig_run_suite(run), SUITE);
	assert_true(pmig_run_start(run) > now - 5 &&
		    pmig_run_start(run) < now + 5);
	assert_int_equal(pmig_run_count(run), 0);
	assert_null(pmig_run_result(run, 0));
	pmig_run_free(run);

	errno = 0;
	assert_null(pmig_run_new(NULL));
	assert_int_equal(errno, EINVAL);
}

static void test_run_add_copies(void **state)
{
	char name[] = "a.b.c", reason[] = "why", diag[] = "d1\nd2";
	char measure[] = "median throughput";
	struct pmig_run *run = pmig_run_new(SUITE);
	struct pmig_result r = mk(name, PMIG_FAIL, reason, diag);
	const struct pmig_result *stored, *first;
	char more[32];
	int i;

	(void)state;
	r.duration = 1.25;
	r.measure = measure;
	first = pmig_run_add(run, &r);
	assert_non_null(first);
	name[0] = reason[0] = diag[0] = measure[0] = 'X';
	stored = pmig_run_result(run, 0);
	assert_ptr_equal(stored, first);
	assert_ptr_not_equal(stored->name, name);
	assert_string_equal(stored->name, "a.b.c");
	assert_string_equal(stored->reason, "why");
	assert_string_equal(stored->diag, "d1\nd2");
	assert_string_equal(stored->measure, "median throughput");
	assert_int_equal(stored->outcome, PMIG_FAIL);
	assert_true(stored->start == CASE_START);
	assert_true(stored->duration == 1.25);

	/* Earlier results stay where they were while the run grows. */
	for (i = 0; i < 100; i++) {
		snprintf(more, sizeof(more), "n%d", i);
		add(run, more, PMIG_PASS, NULL, NULL);
	}
	assert_int_equal(pmig_run_count(run), 101);
	assert_ptr_equal(pmig_run_result(run, 0), first);
	assert_string_equal(first->name, "a.b.c");
	assert_string_equal(pmig_run_result(run, 100)->name, "n99");
	assert_null(pmig_run_result(run, 100)->reason);
	assert_null(pmig_run_result(run, 100)->diag);
	assert_null(pmig_run_result(run, 101));
	pmig_run_free(run);
}

static void test_run_add_rejects(void **state)
{
	struct pmig_run *run = pmig_run_new(SUITE);
	struct pmig_result r = mk(NULL, PMIG_PASS, NULL, NULL);

	(void)state;
	errno = 0;
	assert_null(pmig_run_add(run, &r));
	assert_int_equal(errno, EINVAL);
	r.name = "";
	errno = 0;
	assert_null(pmig_run_add(run, &r));
	assert_int_equal(errno, EINVAL);
	r.name = "x";
	r.outcome = PMIG_OUTCOME_COUNT;
	errno = 0;
	assert_null(pmig_run_add(run, &r));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pmig_run_count(run), 0);
	pmig_run_free(run);
}

static void test_run_utf8(void **state)
{
	struct pmig_run *run = pmig_run_new(SUITE);

	(void)state;
	/* A stray byte, a truncated sequence, an overlong '/', valid "é". */
	add(run, "u", PMIG_FAIL, "r\xc3",
	    "a\xff"
	    "b\xc0\xaf"
	    "c\xc3\xa9");
	assert_string_equal(pmig_run_result(run, 0)->reason, "r?");
	assert_string_equal(pmig_run_result(run, 0)->diag, "a?b??c\xc3\xa9");
	pmig_run_free(run);
}

static void test_run_meta(void **state)
{
	struct pmig_run *run = pmig_run_new(SUITE);
	const char *k = NULL, *v = NULL;

	(void)state;
	assert_int_equal(pmig_run_meta_count(run), 0);
	assert_int_equal(pmig_run_meta_at(run, 0, &k, &v), -ERANGE);
	assert_int_equal(pmig_run_set_meta(run, "kernel", "6.1"), 0);
	assert_int_equal(pmig_run_set_meta(run, "profile", "p1"), 0);
	assert_int_equal(pmig_run_set_meta(run, "kernel", "6.9"), 0);
	assert_int_equal(pmig_run_meta_count(run), 2);
	assert_string_equal(pmig_run_get_meta(run, "kernel"), "6.9");
	assert_null(pmig_run_get_meta(run, "nope"));

	/* Replacing a value keeps the key's place. */
	assert_int_equal(pmig_run_meta_at(run, 0, &k, &v), 0);
	assert_string_equal(k, "kernel");
	assert_string_equal(v, "6.9");
	assert_int_equal(pmig_run_meta_at(run, 1, &k, &v), 0);
	assert_string_equal(k, "profile");
	assert_string_equal(v, "p1");
	assert_int_equal(pmig_run_meta_at(run, 2, &k, &v), -ERANGE);

	assert_int_equal(pmig_run_set_meta(run, "k", NULL), -EINVAL);
	assert_int_equal(pmig_run_set_meta(run, NULL, "v"), -EINVAL);
	assert_int_equal(pmig_run_meta_count(run), 2);
	pmig_run_free(run);
}

static void test_run_totals(void **state)
{
	struct pmig_run *run = sample_run();
	unsigned t[PMIG_OUTCOME_COUNT];

	(void)state;
	add(run, "p2", PMIG_PASS, NULL, NULL);
	add(run, "s2", PMIG_SKIP, NULL, NULL);
	add(run, "s3", PMIG_SKIP, NULL, NULL);
	memset(t, 0xff, sizeof(t));
	pmig_run_totals(run, t);
	assert_int_equal(t[PMIG_PASS], 2);
	assert_int_equal(t[PMIG_FAIL], 1);
	assert_int_equal(t[PMIG_SKIP], 3);
	assert_int_equal(t[PMIG_XFAIL], 1);
	assert_int_equal(t[PMIG_XPASS], 1);
	assert_int_equal(t[PMIG_ERROR], 1);
	pmig_run_free(run);
}

/* The exit code of a run holding exactly the outcomes in @o. */
static int exit_code_of(const enum pmig_outcome *o, size_t n)
{
	struct pmig_run *run = pmig_run_new(SUITE);
	size_t i;
	int rc;

	assert_non_null(run);
	for (i = 0; i < n; i++)
		add(run, "c", o[i], NULL, NULL);
	rc = pmig_run_exit_code(run);
	pmig_run_free(run);
	return rc;
}

static void test_run_exit_code(void **state)
{
	static const enum pmig_outcome pass[] = { PMIG_PASS, PMIG_SKIP };
	static const enum pmig_outcome skips[] = { PMIG_SKIP, PMIG_SKIP };
	static const enum pmig_outcome known[] = { PMIG_XFAIL, PMIG_XPASS,
						   PMIG_SKIP };
	static const enum pmig_outcome xfail[] = { PMIG_XFAIL };
	static const enum pmig_outcome fail[] = { PMIG_PASS, PMIG_FAIL,
						  PMIG_XFAIL };
	static const enum pmig_outcome error[] = { PMIG_SKIP, PMIG_ERROR };

	(void)state;
	assert_int_equal(exit_code_of(NULL, 0), 4);
	assert_int_equal(exit_code_of(skips, 2), 4);
	assert_int_equal(exit_code_of(pass, 2), 0);
	/* An XPASS fails the run: its profile entry is stale. */
	assert_int_equal(exit_code_of(known, 3), 1);
	assert_int_equal(exit_code_of(xfail, 1), 0);
	assert_int_equal(exit_code_of(fail, 3), 1);
	assert_int_equal(exit_code_of(error, 2), 1);
}

static void test_outcome_names(void **state)
{
	(void)state;
	assert_string_equal(pmig_outcome_name(PMIG_PASS), "PASS");
	assert_string_equal(pmig_outcome_name(PMIG_FAIL), "FAIL");
	assert_string_equal(pmig_outcome_name(PMIG_SKIP), "SKIP");
	assert_string_equal(pmig_outcome_name(PMIG_XFAIL), "XFAIL");
	assert_string_equal(pmig_outcome_name(PMIG_XPASS), "XPASS");
	assert_string_equal(pmig_outcome_name(PMIG_ERROR), "ERROR");
	assert_null(pmig_outcome_name(PMIG_OUTCOME_COUNT));
}

/* -------------------------------------------------------------------- */
/* TAP */

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

/* The text written so far; the caller frees it. */
static char *capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

/* TAP for one result numbered @n. */
static char *tap_line(size_t n, const struct pmig_result *r)
{
	struct capture c;

	capture_open(&c);
	pmig_tap_result(c.f, n, r);
	return capture_close(&c);
}

static void expect_tap(size_t n, struct pmig_result r, const char *want)
{
	char *got = tap_line(n, &r);

	assert_string_equal(got, want);
	free(got);
}

static void test_tap_begin_end(void **state)
{
	struct pmig_run *run = sample_run();
	struct capture c;
	char *text;

	(void)state;
	capture_open(&c);
	pmig_tap_begin(c.f, 6);
	pmig_tap_end(c.f, run);
	text = capture_close(&c);
	assert_string_equal(text, "TAP version 13\n"
				  "1..6\n"
				  "# Totals: pass:1 fail:1 xfail:1 xpass:1 "
				  "skip:1 error:1\n");
	free(text);
	pmig_run_free(run);
}

static void test_tap_outcomes(void **state)
{
	(void)state;
	expect_tap(1, mk("a.pass", PMIG_PASS, NULL, NULL), "ok 1 a.pass\n");
	/* A PASS line has no directive, so its reason is not printed. */
	expect_tap(2, mk("a.pass", PMIG_PASS, "fine", "one\ntwo\n"),
		   "# one\n# two\nok 2 a.pass\n");
	expect_tap(3, mk("a.fail", PMIG_FAIL, "status 0 != -2", NULL),
		   "not ok 3 a.fail # status 0 != -2\n");
	expect_tap(4, mk("a.fail", PMIG_FAIL, NULL, NULL), "not ok 4 a.fail\n");
	expect_tap(5, mk("a.skip", PMIG_SKIP, "needs 2 nodes", NULL),
		   "ok 5 a.skip # SKIP needs 2 nodes\n");
	expect_tap(6, mk("a.skip", PMIG_SKIP, NULL, NULL),
		   "ok 6 a.skip # SKIP\n");
	/* TAP 13's TODO: prove takes neither as a failure, and says "TODO passed". */
	expect_tap(7, mk("a.xfail", PMIG_XFAIL, "bug 42", NULL),
		   "not ok 7 a.xfail # TODO known: bug 42\n");
	expect_tap(8, mk("a.xpass", PMIG_XPASS, "fixed in 6.9", NULL),
		   "ok 8 a.xpass # TODO XPASS: fixed in 6.9\n");
	expect_tap(9, mk("a.err", PMIG_ERROR, "timeout after 30 s", NULL),
		   "not ok 9 a.err # ERROR timeout after 30 s\n");
	expect_tap(10, mk("a.err", PMIG_ERROR, NULL, NULL),
		   "not ok 10 a.err # ERROR\n");
}

static void test_tap_diag_and_reason_text(void **state)
{
	(void)state;
	/* Every diagnostic line comes before the result line; blank ones too. */
	expect_tap(1,
		   mk("m.fail", PMIG_FAIL, "expected 1\ngot 2",
		      "check.c:10: status[0]\n\nexpected -ENOENT (-2)"),
		   "# check.c:10: status[0]\n"
		   "#\n"
		   "# expected -ENOENT (-2)\n"
		   "not ok 1 m.fail # expected 1 got 2\n");
	expect_tap(2, mk("m.skip", PMIG_SKIP, "line1\r\nline2\n", "d"),
		   "# d\nok 2 m.skip # SKIP line1  line2 \n");
	/* kunit.py would take a " # SKIP" anywhere on the line as a skip. */
	expect_tap(3, mk("m.fail", PMIG_FAIL, "see # SKIP bug #7", NULL),
		   "not ok 3 m.fail # see \\# SKIP bug \\#7\n");
	/* prove would take "# skip ..." on a not-ok line as a skip. */
	expect_tap(4, mk("m.fail", PMIG_FAIL, "Skipped 3 pages", NULL),
		   "not ok 4 m.fail # Skipped 3 pages\n");
	expect_tap(5, mk("m.fail", PMIG_FAIL, "skip: 3 pages", NULL),
		   "not ok 5 m.fail # FAIL skip: 3 pages\n");
	expect_tap(6, mk("m.fail", PMIG_FAIL, " TODO", NULL),
		   "not ok 6 m.fail # FAIL  TODO\n");
	expect_tap(7, mk("bad name#1", PMIG_PASS, NULL, NULL),
		   "ok 7 bad_name_1\n");
}

static void test_tap_skip_all(void **state)
{
	struct capture c;
	char *text;

	(void)state;
	capture_open(&c);
	pmig_tap_skip_all(c.f, "needs root\nreally");
	text = capture_close(&c);
	assert_string_equal(text,
			    "TAP version 13\n1..0 # SKIP needs root really\n");
	free(text);
}

/* -------------------------------------------------------------------- */
/* JUnit */

static xmlDocPtr junit_doc(const struct pmig_run *run, char **raw)
{
	struct capture c;
	xmlDocPtr doc;

	capture_open(&c);
	assert_int_equal(pmig_junit_write(run, c.f), 0);
	*raw = capture_close(&c);
	doc = xmlReadMemory(*raw, (int)strlen(*raw), "junit.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	assert_non_null(doc);
	return doc;
}

/* The XPath string value of @expr, compared with @want. */
static void expect_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj;
	char *q;

	assert_non_null(ctx);
	assert_true(asprintf(&q, "string(%s)", expr) > 0);
	obj = xmlXPathEvalExpression(BAD_CAST q, ctx);
	free(q);
	assert_non_null(obj);
	assert_int_equal(obj->type, XPATH_STRING);
	assert_string_equal((const char *)obj->stringval, want);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
}

static void expect_xpath_count(xmlDocPtr doc, const char *expr, int want)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj;
	char *q;

	assert_non_null(ctx);
	assert_true(asprintf(&q, "count(%s)", expr) > 0);
	obj = xmlXPathEvalExpression(BAD_CAST q, ctx);
	free(q);
	assert_non_null(obj);
	assert_int_equal(obj->type, XPATH_NUMBER);
	assert_int_equal((int)obj->floatval, want);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
}

#define TC(cls, nm)                                                          \
	"/testsuites/testsuite/testcase[@classname='" cls "' and @name='" nm \
	"']"

static void test_junit_counts(void **state)
{
	struct pmig_run *run = sample_run();
	const char *levels[] = { "/testsuites", "/testsuites/testsuite" };
	char *raw, expr[128];
	xmlDocPtr doc;
	size_t i;

	(void)state;
	doc = junit_doc(run, &raw);
	for (i = 0; i < 2; i++) {
		snprintf(expr, sizeof(expr), "%s/@name", levels[i]);
		expect_xpath(doc, expr, SUITE);
		snprintf(expr, sizeof(expr), "%s/@tests", levels[i]);
		expect_xpath(doc, expr, "6");
		/* The FAIL and the XPASS, which fails the run. */
		snprintf(expr, sizeof(expr), "%s/@failures", levels[i]);
		expect_xpath(doc, expr, "2");
		snprintf(expr, sizeof(expr), "%s/@errors", levels[i]);
		expect_xpath(doc, expr, "1");
		/* SKIP and XFAIL both appear as <skipped/>, counted on the
		 * suite only (Jenkins' junit-10.xsd). */
		snprintf(expr, sizeof(expr), "%s/@skipped", levels[i]);
		if (i)
			expect_xpath(doc, expr, "2");
		else
			expect_xpath_count(doc, expr, 0);
		snprintf(expr, sizeof(expr), "%s/@time", levels[i]);
		expect_xpath(doc, expr, "3.000");
	}
	expect_xpath_count(doc, "/testsuites/testsuite", 1);
	expect_xpath_count(doc, "//testcase", 6);
	expect_xpath_count(doc, "//testcase[@time='0.500']", 6);
	expect_xpath_count(doc, "//failure", 2);
	expect_xpath_count(doc, "//error", 1);
	expect_xpath_count(doc, "//skipped", 2);
	expect_xpath(doc, "/testsuites/testsuite/@hostname", "testhost");
	xmlFreeDoc(doc);
	free(raw);
	pmig_run_free(run);
}

static void test_junit_timestamp_properties(void **state)
{
	struct pmig_run *run = sample_run();
	char *raw, want[32];
	time_t start = (time_t)pmig_run_start(run);
	xmlDocPtr doc;
	struct tm tm;

	(void)state;
	doc = junit_doc(run, &raw);
	assert_non_null(gmtime_r(&start, &tm));
	strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
	expect_xpath(doc, "/testsuites/testsuite/@timestamp", want);

	expect_xpath_count(doc, "//properties/property", 3);
	expect_xpath(doc, "//properties/property[1]/@name", "kernel");
	expect_xpath(doc, "//properties/property[1]/@value", "6.1.0-18-amd64");
	expect_xpath(doc, "//properties/property[2]/@name", "hostname");
	expect_xpath(doc, "//property[@name='profile']/@value", "linux-6.1");
	xmlFreeDoc(doc);
	free(raw);
	pmig_run_free(run);
}

static void test_junit_outcomes(void **state)
{
	struct pmig_run *run = sample_run();
	xmlDocPtr doc;
	char *raw;

	(void)state;
	doc = junit_doc(run, &raw);

	expect_xpath_count(doc, TC("move_pages.status", "ok") "/*", 1);
	expect_xpath(doc, TC("move_pages.status", "ok") "/system-out",
		     "pass diag");

	expect_xpath(doc, TC("move_pages.status", "enoent") "/failure/@message",
		     "status 0 != -2");
	expect_xpath(doc, TC("move_pages.status", "enoent") "/failure",
		     "check.c:10: status[0]\nexpected -ENOENT");

	expect_xpath(doc, TC("mbind", "move_all") "/skipped/@message",
		     "needs CAP_SYS_NICE");
	expect_xpath_count(doc, TC("mbind", "move_all") "/skipped/node()", 0);
	expect_xpath_count(doc, TC("mbind", "move_all") "/system-out", 0);

	expect_xpath(doc, TC("migrate_pages", "einval") "/skipped/@message",
		     "XFAIL: bug 1234");
	expect_xpath(doc, TC("migrate_pages", "einval") "/system-out", "known");

	/* XPASS fails the run, so JUnit says failure: a stale profile entry. */
	expect_xpath(doc, TC("move_pages", "efault") "/failure/@message",
		     "XPASS: fixed upstream");
	expect_xpath(doc, TC("move_pages", "efault") "/system-out", "xp diag");
	xmlFreeDoc(doc);
	free(raw);

	/* With --xpass-ok it passes: no verdict, the note in <system-out>. */
	pmig_run_set_xpass_fails(run, false);
	doc = junit_doc(run, &raw);
	expect_xpath_count(doc, TC("move_pages", "efault") "/*", 1);
	expect_xpath(doc, TC("move_pages", "efault") "/system-out",
		     "XPASS: fixed upstream\nxp diag");

	/* A name without a dot keeps the suite as its class. */
	expect_xpath(doc, TC(SUITE, "nodot") "/error/@message",
		     "timeout after 30 s");
	expect_xpath(doc, TC(SUITE, "nodot") "/error", "killed");
	xmlFreeDoc(doc);
	free(raw);
	pmig_run_free(run);
}

static void test_junit_escaping(void **state)
{
	struct pmig_run *run = pmig_run_new(SUITE);
	const char *reason = "a<b && c\"d' >";
	const char *diag = "<tag attr=\"v\">&amp;</tag>\n]]> \x01 end";
	xmlDocPtr doc;
	char *raw;

	(void)state;
	add(run, "esc.fail", PMIG_FAIL, reason, diag);
	add(run, "esc.pass", PMIG_PASS, NULL, "x < y & \"z\"");
	assert_int_equal(pmig_run_set_meta(run, "k<&\"", "v<&\">"), 0);
	doc = junit_doc(run, &raw);
	assert_null(strstr(raw, reason));
	assert_null(strstr(raw, "<tag"));
	expect_xpath(doc, TC("esc", "fail") "/failure/@message", reason);
	/* XML cannot carry U+0001, so it arrives as '?'. */
	expect_xpath(doc, TC("esc", "fail") "/failure",
		     "<tag attr=\"v\">&amp;</tag>\n]]> ? end");
	expect_xpath(doc, TC("esc", "pass") "/system-out", "x < y & \"z\"");
	expect_xpath(doc, "//property/@name", "k<&\"");
	expect_xpath(doc, "//property/@value", "v<&\">");
	xmlFreeDoc(doc);
	free(raw);
	pmig_run_free(run);
}

static void test_junit_empty_run(void **state)
{
	struct pmig_run *run = pmig_run_new(SUITE);
	xmlDocPtr doc;
	char *raw;

	(void)state;
	doc = junit_doc(run, &raw);
	expect_xpath(doc, "/testsuites/testsuite/@tests", "0");
	expect_xpath_count(doc, "//testcase", 0);
	expect_xpath_count(doc, "//properties", 0);
	xmlFreeDoc(doc);
	free(raw);
	pmig_run_free(run);
}

/* /dev/full fails every write with ENOSPC, as a full disk would. */
static void test_write_errors(void **state)
{
	struct pmig_run *run = sample_run();
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	assert_int_equal(pmig_junit_write(run, full), -EIO);
	clearerr(full);
	assert_int_equal(pmig_kcidb_write(run, full), -EIO);
	fclose(full);
	assert_int_equal(pmig_junit_write(NULL, stdout), -EINVAL);
	assert_int_equal(pmig_kcidb_write(run, NULL), -EINVAL);
	pmig_run_free(run);
}

/* -------------------------------------------------------------------- */
/* KCIDB */

static struct json_object *kcidb_doc(const struct pmig_run *run, char **raw)
{
	struct json_object *doc;
	struct capture c;

	capture_open(&c);
	assert_int_equal(pmig_kcidb_write(run, c.f), 0);
	*raw = capture_close(&c);
	doc = json_tokener_parse(*raw);
	assert_non_null(doc);
	return doc;
}

static struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(obj, key, &v));
	assert_non_null(v);
	return v;
}

static const char *get_str(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static bool has(struct json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

static struct json_object *test_at(struct json_object *doc, size_t i)
{
	struct json_object *tests = get(doc, "tests");

	assert_true(i < json_object_array_length(tests));
	return json_object_array_get_idx(tests, i);
}

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	int rc;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return rc == 0;
}

#define PATH_RE "^([a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*)?$"

static void test_kcidb_graph(void **state)
{
	struct pmig_run *run = sample_run();
	struct json_object *doc, *v, *checkout, *build, *misc;
	const char *id;
	size_t i;
	char *raw;

	(void)state;
	doc = kcidb_doc(run, &raw);
	v = get(doc, "version");
	assert_int_equal(json_object_get_int(get(v, "major")), 5);
	assert_int_equal(json_object_get_int(get(v, "minor")), 3);

	assert_int_equal(json_object_array_length(get(doc, "checkouts")), 1);
	checkout = json_object_array_get_idx(get(doc, "checkouts"), 0);
	id = get_str(checkout, "id");
	assert_true(matches(
		"^pmig:pmig\\.conform-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$", id));
	assert_string_equal(get_str(checkout, "origin"), "pmig");

	assert_int_equal(json_object_array_length(get(doc, "builds")), 1);
	build = json_object_array_get_idx(get(doc, "builds"), 0);
	assert_string_equal(get_str(build, "id"), id);
	assert_string_equal(get_str(build, "checkout_id"), id);
	assert_string_equal(get_str(build, "origin"), "pmig");
	assert_true(matches("^[a-z0-9_]+$", get_str(build, "architecture")));
	misc = get(build, "misc");
	assert_string_equal(get_str(misc, "kernel"), "6.1.0-18-amd64");
	assert_string_equal(get_str(misc, "hostname"), "testhost");
	assert_string_equal(get_str(misc, "profile"), "linux-6.1");

	assert_int_equal(json_object_array_length(get(doc, "tests")), 6);
	for (i = 0; i < 6; i++) {
		struct json_object *t = test_at(doc, i);
		char *want;

		assert_string_equal(get_str(t, "build_id"), id);
		assert_string_equal(get_str(t, "origin"), "pmig");
		assert_true(asprintf(&want, "%s:%s", id,
				     pmig_run_result(run, i)->name) > 0);
		assert_string_equal(get_str(t, "id"), want);
		free(want);
		assert_true(matches(PATH_RE, get_str(t, "path")));
	}
	json_object_put(doc);
	free(raw);
	pmig_run_free(run);
}

static void test_kcidb_tests(void **state)
{
	/* XFAIL: the kernel has the bug (TAP's not ok); XPASS: it passed. */
	static const char *const status[] = { "PASS", "FAIL", "SKIP",
					      "FAIL", "PASS", "ERROR" };
	struct pmig_run *run = sample_run();
	struct json_object *doc, *t;
	size_t i;
	char *raw;

	(void)state;
	doc = kcidb_doc(run, &raw);
	for (i = 0; i < 6; i++)
		assert_string_equal(get_str(test_at(doc, i), "status"),
				    status[i]);

	t = test_at(doc, 0);
	assert_string_equal(get_str(t, "path"), SUITE ".move_pages.status.ok");
	assert_string_equal(get_str(t, "start_time"),
			    "2024-03-05T06:07:08.250000+00:00");
	assert_true(json_object_get_double(get(t, "duration")) == 0.5);
	assert_string_equal(get_str(t, "log_excerpt"), "pass diag");
	assert_false(has(t, "comment"));
	assert_false(has(t, "misc"));

	t = test_at(doc, 1);
	assert_string_equal(get_str(t, "comment"), "status 0 != -2");
	assert_string_equal(get_str(t, "log_excerpt"),
			    "check.c:10: status[0]\nexpected -ENOENT");

	t = test_at(doc, 2);
	assert_false(has(t, "log_excerpt"));
	assert_string_equal(get_str(t, "comment"), "needs CAP_SYS_NICE");

	/* XFAIL and XPASS keep the real outcome in misc. */
	t = test_at(doc, 3);
	assert_string_equal(get_str(get(t, "misc"), "outcome"), "XFAIL");
	assert_string_equal(get_str(t, "comment"), "bug 1234");
	t = test_at(doc, 4);
	assert_string_equal(get_str(get(t, "misc"), "outcome"), "XPASS");

	t = test_at(doc, 5);
	assert_string_equal(get_str(t, "path"), SUITE ".nodot");
	assert_false(has(t, "misc"));
	json_object_put(doc);
	free(raw);
	pmig_run_free(run);
}

/* Counts JSON nulls anywhere under @obj (json-c parses null as NULL). */
static unsigned count_nulls(struct json_object *obj)
{
	unsigned n = 0;
	size_t i;

	if (!obj)
		return 1;
	if (json_object_is_type(obj, json_type_object)) {
		json_object_object_foreach(obj, key, val)
		{
			(void)key;
			n += count_nulls(val);
		}
	} else if (json_object_is_type(obj, json_type_array)) {
		for (i = 0; i < json_object_array_length(obj); i++)
			n += count_nulls(json_object_array_get_idx(obj, i));
	}
	return n;
}

static void test_kcidb_no_null(void **state)
{
	struct pmig_run *run = sample_run();
	struct json_object *doc, *probe;
	char *raw;

	(void)state;
	/* The walker must see a null, or a pass below would mean nothing. */
	probe = json_tokener_parse("{\"a\":[1,{\"b\":null}]}");
	assert_non_null(probe);
	assert_int_equal(count_nulls(probe), 1);
	json_object_put(probe);

	add(run, "bare", PMIG_FAIL, NULL, NULL);
	add(run, "bare2", PMIG_XFAIL, NULL, "");
	doc = kcidb_doc(run, &raw);
	assert_int_equal(count_nulls(doc), 0);
	assert_null(strstr(raw, "null"));
	assert_false(has(test_at(doc, 6), "comment"));
	assert_false(has(test_at(doc, 7), "log_excerpt"));
	json_object_put(doc);
	free(raw);
	pmig_run_free(run);
}

/* A string of @n copies of @unit. */
static char *repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit);
	char *s = malloc(len * n + 1);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

static void test_kcidb_log_excerpt(void **state)
{
	struct pmig_run *run = pmig_run_new(SUITE);
	char *exact = repeat("a", 16384), *longer = repeat("b", 20000);
	char *wide = repeat("\xc3\xa9", 16400), *want_wide;
	struct json_object *doc, *log;
	char *raw;

	(void)state;
	add(run, "exact", PMIG_FAIL, NULL, exact);
	add(run, "longer", PMIG_FAIL, NULL, longer);
	add(run, "wide", PMIG_FAIL, NULL, wide);
	doc = kcidb_doc(run, &raw);

	assert_string_equal(get_str(test_at(doc, 0), "log_excerpt"), exact);
	log = get(test_at(doc, 1), "log_excerpt");
	assert_int_equal(json_object_get_string_len(log), 16384);
	longer[16384] = '\0';
	assert_string_equal(json_object_get_string(log), longer);
	/* 16384 characters, not bytes, and no character cut in half. */
	want_wide = repeat("\xc3\xa9", 16384);
	assert_string_equal(get_str(test_at(doc, 2), "log_excerpt"), want_wide);
	json_object_put(doc);
	free(raw);
	free(want_wide);
	free(exact);
	free(longer);
	free(wide);
	pmig_run_free(run);
}

static void test_kcidb_sanitizing(void **state)
{
	static const char *const names[] = { "a..b", ".lead", "trail.",
					     "sp ace:colon", "ok-name_1.x" };
	static const char *const paths[] = {
		SUITE ".a._b",	       SUITE "._lead",	     SUITE ".trail_",
		SUITE ".sp_ace_colon", SUITE ".ok-name_1.x",
	};
	struct pmig_run *run = pmig_run_new(SUITE);
	struct json_object *doc, *t;
	const char *id;
	size_t i;
	char *raw;

	(void)state;
	for (i = 0; i < 5; i++)
		add(run, names[i], PMIG_PASS, NULL, NULL);
	doc = kcidb_doc(run, &raw);
	for (i = 0; i < 5; i++) {
		t = test_at(doc, i);
		assert_string_equal(get_str(t, "path"), paths[i]);
		assert_true(matches(PATH_RE, get_str(t, "path")));
		id = get_str(t, "id");
		/* Only the two separators after the origin are colons. */
		assert_true(
			matches("^pmig:[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$", id));
	}
	json_object_put(doc);
	free(raw);
	pmig_run_free(run);
}

static void test_kcidb_run_id(void **state)
{
	struct pmig_run *run = sample_run();
	struct json_object *doc;
	char *raw, *raw2, *id;

	(void)state;
	doc = kcidb_doc(run, &raw);
	id = strdup(get_str(json_object_array_get_idx(get(doc, "checkouts"), 0),
			    "id"));
	json_object_put(doc);
	/* The same run gives the same document, so resubmitting merges. */
	doc = kcidb_doc(run, &raw2);
	assert_string_equal(raw, raw2);
	json_object_put(doc);
	free(raw2);

	/* Another host running the same suite in the same second differs. */
	assert_int_equal(pmig_run_set_meta(run, "hostname", "otherhost"), 0);
	doc = kcidb_doc(run, &raw2);
	assert_string_not_equal(
		get_str(json_object_array_get_idx(get(doc, "checkouts"), 0),
			"id"),
		id);
	json_object_put(doc);
	free(raw2);
	free(raw);
	free(id);
	pmig_run_free(run);
}

/* A benchmark's result: PASS with a number is DONE, a failed one keeps FAIL. */
static void test_kcidb_numbers(void **state)
{
	struct pmig_run *run = pmig_run_new("pmig.bench");
	struct pmig_result r = mk("move_pages.anon4k", PMIG_PASS, NULL, NULL);
	struct json_object *doc, *t, *n, *misc;
	char *raw;

	(void)state;
	assert_non_null(run);
	r.has_number = true;
	r.number = 2.5e9;
	r.unit = "B/s";
	r.misc = "{\"strategy\": \"move_pages\", \"samples\": 48}";
	assert_non_null(pmig_run_add(run, &r));
	r.name = "swap.thp";
	r.outcome = PMIG_SKIP;
	r.reason = "no swap";
	r.misc = NULL;
	assert_non_null(pmig_run_add(run, &r));
	r.name = "mbind_move.thp";
	r.outcome = PMIG_FAIL;
	r.reason = "page 3 on node 0";
	assert_non_null(pmig_run_add(run, &r));
	doc = kcidb_doc(run, &raw);

	t = test_at(doc, 0);
	assert_string_equal(get_str(t, "status"), "DONE");
	n = get(t, "number");
	assert_true(json_object_get_double(get(n, "value")) == 2.5e9);
	assert_string_equal(get_str(n, "unit"), "B/s");
	assert_string_equal(get_str(n, "prefix"), "metric");
	misc = get(t, "misc");
	assert_string_equal(get_str(misc, "strategy"), "move_pages");
	assert_int_equal(json_object_get_int(get(misc, "samples")), 48);
	/* A skip never ran: its number is not written. */
	t = test_at(doc, 1);
	assert_string_equal(get_str(t, "status"), "SKIP");
	assert_false(has(t, "number"));
	t = test_at(doc, 2);
	assert_string_equal(get_str(t, "status"), "FAIL");
	assert_true(has(t, "number"));
	json_object_put(doc);
	free(raw);

	/* misc must be a JSON object. */
	r.misc = "[1, 2]";
	assert_non_null(pmig_run_add(run, &r));
	assert_int_equal(pmig_kcidb_write(run, stdout), -EINVAL);
	pmig_run_free(run);
}

static void test_junit_numbers(void **state)
{
	struct pmig_run *run = pmig_run_new("pmig.bench");
	struct pmig_result r = mk("bench.move_pages", PMIG_PASS, NULL, NULL);
	xmlDocPtr doc;
	char *raw;

	(void)state;
	assert_non_null(run);
	r.has_number = true;
	r.number = 1071817290;
	r.unit = "B/s";
	r.measure = "median throughput";
	assert_non_null(pmig_run_add(run, &r));
	/* As people read it, then exactly where that differs; no measure: "number". */
	r.name = "bench.tier_user";
	r.number = 1.2;
	r.unit = "s";
	r.measure = NULL;
	assert_non_null(pmig_run_add(run, &r));
	r.name = "bench.call";
	r.number = 0.000123;
	r.measure = "median time per call";
	assert_non_null(pmig_run_add(run, &r));
	r.name = "bench.count";
	r.number = 3;
	r.unit = NULL;
	assert_non_null(pmig_run_add(run, &r));
	doc = junit_doc(run, &raw);
	expect_xpath(doc, TC("bench", "move_pages") "/system-out",
		     "median throughput: 1.072 GB/s (1071817290 B/s)");
	expect_xpath(doc, TC("bench", "tier_user") "/system-out",
		     "number: 1.2 s");
	expect_xpath(doc, TC("bench", "call") "/system-out",
		     "median time per call: 123 us (0.000123 s)");
	expect_xpath(doc, TC("bench", "count") "/system-out",
		     "median time per call: 3");
	expect_xpath_count(doc, "//failure|//error|//skipped", 0);
	xmlFreeDoc(doc);
	free(raw);
	pmig_run_free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_new),
		cmocka_unit_test(test_run_add_copies),
		cmocka_unit_test(test_run_add_rejects),
		cmocka_unit_test(test_run_utf8),
		cmocka_unit_test(test_run_meta),
		cmocka_unit_test(test_run_totals),
		cmocka_unit_test(test_run_exit_code),
		cmocka_unit_test(test_outcome_names),
		cmocka_unit_test(test_tap_begin_end),
		cmocka_unit_test(test_tap_outcomes),
		cmocka_unit_test(test_tap_diag_and_reason_text),
		cmocka_unit_test(test_tap_skip_all),
		cmocka_unit_test(test_junit_counts),
		cmocka_unit_test(test_junit_timestamp_properties),
		cmocka_unit_test(test_junit_outcomes),
		cmocka_unit_test(test_junit_escaping),
		cmocka_unit_test(test_junit_empty_run),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_kcidb_graph),
		cmocka_unit_test(test_kcidb_tests),
		cmocka_unit_test(test_kcidb_no_null),
		cmocka_unit_test(test_kcidb_log_excerpt),
		cmocka_unit_test(test_kcidb_sanitizing),
		cmocka_unit_test(test_kcidb_run_id),
		cmocka_unit_test(test_kcidb_numbers),
		cmocka_unit_test(test_junit_numbers),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return failed ? 1 : 0;
}
