/* check.h - the two verbs a case uses inside its sandbox: check (record, go on) and require (stop). */
#ifndef PMIG_CHECK_H
#define PMIG_CHECK_H

#include <stdbool.h>

/*
 * Every message carries file:line, the expression, and expected and actual
 * values; values that are errnos print by name ("-ENOENT (-2)"). These are
 * valid only inside a function run by pmig_sandbox_run().
 */

/** A "# " diagnostic line for the case. */
void pmig_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Ends the case as SKIP with @fmt as the reason. */
_Noreturn void pmig_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/** Ends the case as ERROR: its setup failed, so nothing about the kernel was learnt. */
_Noreturn void pmig_broken(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/** Ends the case now; FAIL if a check failed (it always did when called by a require). */
_Noreturn void pmig_stop(void);
/** Records a failure with a message; the case goes on. */
void pmig_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Number of failures recorded so far in this case. */
unsigned pmig_failures(void);

bool pmig_check_long_at(const char *file, int line, const char *what,
			long actual, long expected);
bool pmig_check_true_at(const char *file, int line, const char *what,
			bool cond);

/** Values compare as long; errno-like negatives print by name. */
#define pmig_check_eq(actual, expected)                                 \
	pmig_check_long_at(__FILE__, __LINE__, #actual, (long)(actual), \
			   (long)(expected))
/** Like pmig_check_eq with a label built at run time ("status[3]"). */
#define pmig_check_val(label, actual, expected)                       \
	pmig_check_long_at(__FILE__, __LINE__, label, (long)(actual), \
			   (long)(expected))
#define pmig_check(cond) pmig_check_true_at(__FILE__, __LINE__, #cond, (cond))
#define pmig_require_eq(actual, expected)             \
	do {                                          \
		if (!pmig_check_eq(actual, expected)) \
			pmig_stop();                  \
	} while (0)
#define pmig_require(cond)             \
	do {                           \
		if (!pmig_check(cond)) \
			pmig_stop();   \
	} while (0)

/*
 * A helper shared by many cases checks on its caller's behalf, and its own
 * line does not say which of those calls failed. So a helper is called
 * through a macro that passes __FILE__ and __LINE__, and starts with
 * PMIG_CALLED_FROM(file, line): until it returns, failures name that line
 * (the outermost helper call's, when helpers call helpers), followed by the
 * line of the check itself ("case.c:40: what: expected X, got Y (via
 * helper.c:12)").
 */
int pmig_called_from(const char *file, int line);
void pmig_called_from_end(int *scope);
#define PMIG_CALLED_FROM(file, line)                                     \
	int pmig_called_from_scope                                       \
		__attribute__((cleanup(pmig_called_from_end), unused)) = \
			pmig_called_from(file, line)

#endif
