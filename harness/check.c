/* check.c - check/require verbs for code running inside a case's sandbox. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "check.h"
#include "sandbox.h"
#include "syscalls.h"

static unsigned failures;
/* The call site of the outermost helper now running (PMIG_CALLED_FROM). */
static const char *site_file;
static int site_line;
static unsigned site_depth;

static void vreport(char kind, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	pmig_sandbox_report(kind, msg);
}

void pmig_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport('D', fmt, ap);
	va_end(ap);
}

_Noreturn void pmig_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport('S', fmt, ap);
	va_end(ap);
	_exit(0);
}

_Noreturn void pmig_broken(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport('E', fmt, ap);
	va_end(ap);
	_exit(0);
}

_Noreturn void pmig_stop(void)
{
	pmig_sandbox_report('V', "");
	_exit(0);
}

void pmig_fail_at(const char *file, int line, const char *fmt, ...)
{
	char msg[900], full[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (site_depth)
		snprintf(full, sizeof(full), "%s:%d: %s (via %s:%d)", site_file,
			 site_line, msg, file, line);
	else
		snprintf(full, sizeof(full), "%s:%d: %s", file, line, msg);
	failures++;
	pmig_sandbox_report('F', full);
}

int pmig_called_from(const char *file, int line)
{
	if (!site_depth++) {
		site_file = file;
		site_line = line;
	}
	return 0;
}

void pmig_called_from_end(int *scope)
{
	(void)scope;
	site_depth--;
}

unsigned pmig_failures(void)
{
	return failures;
}

/* "-ENOENT (-2)" for an errno, plain "3" otherwise. */
static const char *value_text(long v, char *buf, unsigned len)
{
	char name[40];
	const char *t = pmig_errno_text(v, name, sizeof(name));

	if (t[0] == '-' && (t[1] < '0' || t[1] > '9'))
		snprintf(buf, len, "%s (%ld)", t, v);
	else
		snprintf(buf, len, "%ld", v);
	return buf;
}

bool pmig_check_long_at(const char *file, int line, const char *what,
			long actual, long expected)
{
	char a[64], e[64];

	if (actual == expected)
		return true;
	pmig_fail_at(file, line, "%s: expected %s, got %s", what,
		     value_text(expected, e, sizeof(e)),
		     value_text(actual, a, sizeof(a)));
	return false;
}

bool pmig_check_true_at(const char *file, int line, const char *what, bool cond)
{
	if (!cond)
		pmig_fail_at(file, line, "%s: expected true, got false", what);
	return cond;
}
