/* output.h - writers that render a result model as TAP, JUnit XML and KCIDB JSON. */
#ifndef PMIG_OUTPUT_H
#define PMIG_OUTPUT_H

#include <stdio.h>
#include "result.h"

/*
 * TAP is streamed while cases run (a crash must not lose earlier lines), so
 * it is written piecewise; JUnit and KCIDB are written from the finished run.
 * The TAP dialect is the one prove, kunit.py parse and Linaro's tappy-based
 * parser all read: "TAP version 13", plan first, every result line has a name,
 * directives after " # ", diagnostics as "# " lines before the result line.
 */

/** "TAP version 13" then "1..@plan". */
void pmig_tap_begin(FILE *out, size_t plan);
/**
 * Instead of pmig_tap_begin() when nothing can run: "TAP version 13", then
 * the whole-program skip line "1..0 # SKIP @reason".
 */
void pmig_tap_skip_all(FILE *out, const char *reason);
/**
 * Diagnostics of @r as "# " lines, then its result line numbered @number:
 *   ok N name | not ok N name # <reason> | ok N name # SKIP <reason> |
 *   ok N name # XFAIL <reason> | ok N name # XPASS <reason> |
 *   not ok N name # ERROR <reason>
 * A PASS line carries no reason. Reasons stay on one line: '\n' and '\r'
 * become ' ' and '#' is written as TAP's "\#". A FAIL reason that starts
 * with the word SKIP or TODO (which prove would take as a directive) is
 * written as "# FAIL <reason>". Name characters outside [A-Za-z0-9_.-]
 * become '_'.
 */
void pmig_tap_result(FILE *out, size_t number, const struct pmig_result *r);
/** "# Totals: pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u". */
void pmig_tap_end(FILE *out, const struct pmig_run *run);

/**
 * JUnit XML: <testsuites><testsuite> with properties from the run metadata,
 * one <testcase classname= name=> per result; FAIL -> <failure>, ERROR ->
 * <error>, SKIP -> <skipped message=>, XFAIL -> <skipped message="XFAIL: ...">;
 * diagnostics in <system-out>. XPASS passes, with "XPASS: <reason>" heading
 * its <system-out>; a PASS with a number has "<measure>: <value> <unit>"
 * there, the value as people read it and then exactly where that differs
 * ("throughput: 1.072 GB/s (1071817290 B/s)"; "number" without a measure).
 * "skipped" is counted on <testsuite> only (Jenkins' junit-10.xsd has it
 * there, not on <testsuites>). classname is the case name up to its last dot (the
 * suite if it has none), name the rest; timestamp is UTC without a zone
 * designator, as the Ant schema wants; times are seconds with three
 * decimals, as junit-10.xsd's SUREFIRE_TIME allows. Returns 0 or -errno (-EIO when
 * writing @out fails).
 */
int pmig_junit_write(const struct pmig_run *run, FILE *out);

/**
 * KCIDB v5 JSON: version, one checkout, one build, one test per result with
 * path "<suite>.<name>", status PASS/FAIL/SKIP/ERROR (XFAIL -> PASS,
 * XPASS -> PASS, with the real outcome in misc; a PASS with a number ->
 * DONE), number {value, unit, prefix "metric"} for a result with a number
 * that ran (PASS, FAIL, ERROR), misc (the result's misc object, which must
 * be JSON object text, else -EINVAL), start_time (RFC 3339),
 * duration, log_excerpt (diagnostics, at most 16384 chars), comment (the
 * reason). The run metadata goes in the build's misc. Ids are
 * "pmig:<runid>" for the checkout and build and "pmig:<runid>:<name>" for a
 * test; runid is "<suite>-<YYYYmmddTHHMMSSZ>-<hash of suite, start time and
 * metadata>". No value is ever null. Returns 0 or -errno (-EIO when writing
 * @out fails).
 */
int pmig_kcidb_write(const struct pmig_run *run, FILE *out);

struct pmig_kcidb_ident;
/**
 * pmig_kcidb_write() under another identity (kcidb_ident.h; NULL: none):
 * the origin replaces "pmig" in the ids and origins; a checkout or build
 * id given (ORIGIN:ID, or ID as the origin's) is the checkout's or build's
 * id, and the object's origin is that id's ORIGIN; the tests keep ids
 * "<origin>:<runid>:<name>" and name the build. The git URL, commit and
 * branch go into the checkout (git_repository_url, git_commit_hash,
 * git_repository_branch). The values are not checked again here.
 */
int pmig_kcidb_write_ident(const struct pmig_run *run,
			   const struct pmig_kcidb_ident *ident, FILE *out);

#endif
