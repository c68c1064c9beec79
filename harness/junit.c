/* junit.c - writes a finished run as JUnit XML for Jenkins and GitLab. */
#include "output.h"
#include "size.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/chvalid.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlwriter.h>

/*
 * Every xmlTextWriter call below fails only when libxml2 cannot allocate or
 * the writer is misused, so any failure is reported as -ENOMEM.
 */

/* XML 1.0 cannot carry most control characters, not even as references. */
static char *xml_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *copy = malloc(strlen(s) + 1);
	size_t o = 0;
	int len, c;

	if (!copy)
		return NULL;
	while (*p) {
		len = 4;
		c = xmlGetUTF8Char(p, &len);
		if (c < 0 || !xmlIsCharQ(c)) {
			copy[o++] = '?';
			p++;
			continue;
		}
		memcpy(copy + o, p, len);
		o += len;
		p += len;
	}
	copy[o] = '\0';
	return copy;
}

static int start(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElement(w, BAD_CAST name) < 0 ? -ENOMEM : 0;
}

static int end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w) < 0 ? -ENOMEM : 0;
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *v = xml_safe(value);
	int rc;

	if (!v)
		return -ENOMEM;
	rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
	free(v);
	return rc < 0 ? -ENOMEM : 0;
}

static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xmlTextWriterWriteVFormatAttribute(w, BAD_CAST name, fmt, ap);
	va_end(ap);
	return rc < 0 ? -ENOMEM : 0;
}

static int text(xmlTextWriterPtr w, const char *s)
{
	char *v = xml_safe(s);
	int rc;

	if (!v)
		return -ENOMEM;
	rc = xmlTextWriterWriteString(w, BAD_CAST v);
	free(v);
	return rc < 0 ? -ENOMEM : 0;
}

/*
 * A NaN or negative time would make report parsers reject the file. Times
 * are written with three decimals: Jenkins' junit-10.xsd (SUREFIRE_TIME)
 * takes at most three after the point.
 */
static double seconds(double d)
{
	return isfinite(d) && d > 0 ? d : 0.0;
}

static bool has_text(const char *s)
{
	return s && s[0];
}

/*
 * The counts both <testsuites> and <testsuite> carry; "skipped" only on
 * <testsuite>, where Jenkins' junit-10.xsd (xunit plugin) allows it.
 */
static int suite_attrs(xmlTextWriterPtr w, const struct pmig_run *run,
		       bool skipped)
{
	unsigned t[PMIG_OUTCOME_COUNT];
	double time = 0.0;
	size_t i;
	int err;

	pmig_run_totals(run, t);
	for (i = 0; i < pmig_run_count(run); i++)
		time += seconds(pmig_run_result(run, i)->duration);
	err = attr(w, "name", pmig_run_suite(run));
	if (!err)
		err = attrf(w, "tests", "%zu", pmig_run_count(run));
	/* An XPASS that fails the run is a failure here too (a stale profile entry). */
	if (!err)
		err = attrf(w, "failures", "%u",
			    t[PMIG_FAIL] +
				    (pmig_run_xpass_fails(run) ? t[PMIG_XPASS] :
								 0));
	if (!err)
		err = attrf(w, "errors", "%u", t[PMIG_ERROR]);
	/* XFAIL is shown as skipped: CI must not count it as a failure. */
	if (!err && skipped)
		err = attrf(w, "skipped", "%u", t[PMIG_SKIP] + t[PMIG_XFAIL]);
	if (!err)
		err = attrf(w, "time", "%.3f", time);
	return err;
}

/*
 * The Ant junit.xsd timestamp takes no zone designator, so the value is
 * UTC written without a trailing 'Z'.
 */
static int timestamp_attr(xmlTextWriterPtr w, double when)
{
	time_t secs = (time_t)seconds(when);
	char buf[32];
	struct tm tm;

	if (!gmtime_r(&secs, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	return attr(w, "timestamp", buf);
}

/* The run's own "hostname" wins: results may come from a guest VM. */
static int hostname_attr(xmlTextWriterPtr w, const struct pmig_run *run)
{
	const char *meta = pmig_run_get_meta(run, "hostname");
	char buf[HOST_NAME_MAX + 1];

	if (meta)
		return attr(w, "hostname", meta);
	if (gethostname(buf, sizeof(buf)))
		return 0;
	buf[sizeof(buf) - 1] = '\0';
	return attr(w, "hostname", buf);
}

static int properties(xmlTextWriterPtr w, const struct pmig_run *run)
{
	const char *key, *value;
	size_t i;
	int err;

	if (!pmig_run_meta_count(run))
		return 0;
	err = start(w, "properties");
	for (i = 0; !err && i < pmig_run_meta_count(run); i++) {
		if (pmig_run_meta_at(run, i, &key, &value))
			return -EINVAL;
		err = start(w, "property");
		if (!err)
			err = attr(w, "name", key);
		if (!err)
			err = attr(w, "value", value);
		if (!err)
			err = end(w);
	}
	return err ? err : end(w);
}

/* <failure>, <error> or <skipped>, with an optional message and body. */
static int verdict(xmlTextWriterPtr w, const char *element, const char *message,
		   const char *body)
{
	int err = start(w, element);

	if (!err && message)
		err = attr(w, "message", message);
	if (!err && has_text(body))
		err = text(w, body);
	return err ? err : end(w);
}

static int system_out(xmlTextWriterPtr w, const char *prefix, const char *body)
{
	int err;

	if (!prefix && !has_text(body))
		return 0;
	err = start(w, "system-out");
	if (!err && prefix)
		err = text(w, prefix);
	if (!err && prefix && has_text(body))
		err = text(w, "\n");
	if (!err && has_text(body))
		err = text(w, body);
	return err ? err : end(w);
}

/* Why an XPASS fails: the case passed, pmig's expectation for this kernel is stale. */
#define XPASS_BODY                                                             \
	"The case passed, but this kernel's profile entry expects the cited "  \
	"known bug: the kernel is fixed (or the fix was backported) and the "  \
	"entry's version range is stale. Correct the range in "                \
	"conformance/spec/, or run with --xpass-ok to take XPASS as a note."

/* "XFAIL: reason", or just "XFAIL"; NULL on ENOMEM. */
static char *tagged(const char *tag, const char *reason)
{
	char *s;

	if (!has_text(reason))
		return strdup(tag);
	if (asprintf(&s, "%s: %s", tag, reason) < 0)
		return NULL;
	return s;
}

/*
 * "throughput: 1.072 GB/s (1071817290 B/s)": what the number is ("number"
 * when unsaid), as people read it, then exactly where that differs;
 * NULL on ENOMEM.
 */
static char *measurement(const struct pmig_result *r)
{
	char readable[64], exact[64], *s;
	const char *unit = has_text(r->unit) ? r->unit : "";

	snprintf(exact, sizeof(exact), "%.10g%s%s", r->number, *unit ? " " : "",
		 unit);
	if (*unit)
		pmig_measure_format(r->number, unit, 4, readable,
				    sizeof(readable));
	else
		snprintf(readable, sizeof(readable), "%s", exact);
	if (asprintf(&s, "%s: %s%s%s%s",
		     has_text(r->measure) ? r->measure : "number", readable,
		     strcmp(readable, exact) ? " (" : "",
		     strcmp(readable, exact) ? exact : "",
		     strcmp(readable, exact) ? ")" : "") < 0)
		return NULL;
	return s;
}

static int case_body(xmlTextWriterPtr w, const struct pmig_run *run,
		     const struct pmig_result *r)
{
	char *msg = NULL;
	int err = 0;

	/* A benchmark's number heads its output: JUnit has no field for it. */
	if (r->outcome == PMIG_PASS && r->has_number) {
		msg = measurement(r);
		if (!msg)
			return -ENOMEM;
		err = system_out(w, msg, r->diag);
		free(msg);
		return err;
	}

	switch (r->outcome) {
	case PMIG_FAIL:
		return verdict(w, "failure", r->reason, r->diag);
	case PMIG_ERROR:
		return verdict(w, "error", r->reason, r->diag);
	case PMIG_SKIP:
		err = verdict(w, "skipped", r->reason, NULL);
		break;
	case PMIG_XFAIL:
		msg = tagged("XFAIL", r->reason);
		err = msg ? verdict(w, "skipped", msg, NULL) : -ENOMEM;
		break;
	case PMIG_XPASS:
		msg = tagged("XPASS", r->reason);
		if (msg && pmig_run_xpass_fails(run)) {
			err = verdict(w, "failure", msg, XPASS_BODY);
			break;
		}
		err = msg ? system_out(w, msg, r->diag) : -ENOMEM;
		free(msg);
		return err;
	default:
		break;
	}
	free(msg);
	return err ? err : system_out(w, NULL, r->diag);
}

/* classname is the name up to its last dot (else the suite), name the rest. */
static int testcase(xmlTextWriterPtr w, const struct pmig_run *run,
		    const struct pmig_result *r)
{
	const char *dot = strrchr(r->name, '.');
	const char *name = r->name;
	char *classname;
	int err;

	if (dot && dot != r->name && dot[1]) {
		classname = strndup(r->name, dot - r->name);
		name = dot + 1;
	} else {
		classname = strdup(pmig_run_suite(run));
	}
	if (!classname)
		return -ENOMEM;
	err = start(w, "testcase");
	if (!err)
		err = attr(w, "classname", classname);
	free(classname);
	if (!err)
		err = attr(w, "name", name);
	if (!err)
		err = attrf(w, "time", "%.3f", seconds(r->duration));
	if (!err)
		err = case_body(w, run, r);
	return err ? err : end(w);
}

static int write_tree(xmlTextWriterPtr w, const struct pmig_run *run)
{
	size_t i;
	int err;

	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0)
		return -ENOMEM;
	err = start(w, "testsuites");
	if (!err)
		err = suite_attrs(w, run, false);
	if (!err)
		err = start(w, "testsuite");
	if (!err)
		err = suite_attrs(w, run, true);
	if (!err)
		err = timestamp_attr(w, pmig_run_start(run));
	if (!err)
		err = hostname_attr(w, run);
	if (!err)
		err = properties(w, run);
	for (i = 0; !err && i < pmig_run_count(run); i++)
		err = testcase(w, run, pmig_run_result(run, i));
	if (err)
		return err;
	return xmlTextWriterEndDocument(w) < 0 ? -ENOMEM : 0;
}

int pmig_junit_write(const struct pmig_run *run, FILE *out)
{
	xmlTextWriterPtr w;
	xmlBufferPtr buf;
	size_t len;
	int err;

	if (!run || !out)
		return -EINVAL;
	/* Built in memory so that a half-written file never reaches @out. */
	buf = xmlBufferCreate();
	if (!buf)
		return -ENOMEM;
	w = xmlNewTextWriterMemory(buf, 0);
	if (!w) {
		err = -ENOMEM;
		goto out_buf;
	}
	err = write_tree(w, run);
	xmlFreeTextWriter(w);
	if (err)
		goto out_buf;
	len = xmlBufferLength(buf);
	if (fwrite(xmlBufferContent(buf), 1, len, out) != len || fflush(out) ||
	    ferror(out))
		err = -EIO;
out_buf:
	xmlBufferFree(buf);
	return err;
}
