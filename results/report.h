/* report.h - the parts of `pmig report`: one document written as Markdown and self-contained HTML at once, its conformance and benchmark sections, gnuplot plots. */
#ifndef PMIG_REPORT_H
#define PMIG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "benchjson.h"

/*
 * Error rule as the harness: 0 or -errno. Write errors are collected by
 * the document (report_doc_close() reports them); a section that has no
 * data says so in the document instead of failing.
 */

/** Written on every plot, and at the top, when timings come from TCG. */
#define PMIG_EMULATED_LABEL "EMULATED (TCG): timings are functional only"
/** The same for TCG under icount: guest time is the instruction count. */
#define PMIG_DETERMINISTIC_LABEL                                           \
	"DETERMINISTIC: instruction-counted under QEMU icount, code-path " \
	"cost, not memory latency"

struct report_doc {
	FILE *md;
	FILE *html;
	const char *dir; /* the run directory: plot paths are relative to it */
	bool png; /* plots as PNG (pngcairo) instead of SVG */
	char *why; /* the first failure to write, one line (malloc()ed) */
	char *bad_input; /* the first unreadable input, one line (malloc()ed) */
};

/* Document: every call writes both files; text arguments are plain text. */
int report_doc_open(struct report_doc *d, const char *dir, const char *title,
		    bool png);
/** Closes both files; -EIO if any write failed. Leaves them named *.tmp. */
int report_doc_close(struct report_doc *d);
void report_h(struct report_doc *d, int level, const char *text);
void report_p(struct report_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** A paragraph that must stand out (emulation, missing data). */
void report_note(struct report_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void report_pre(struct report_doc *d, const char *text);
void report_table_begin(struct report_doc *d, size_t ncols,
			const char *const *headers);
void report_table_row(struct report_doc *d, size_t ncols,
		      const char *const *cells);
void report_table_end(struct report_doc *d);
/** An image file under the run directory: linked from Markdown, inlined (base64) in HTML. */
void report_image(struct report_doc *d, const char *relpath, const char *alt);
/** Records the first failure to write the report as a one-line reason. */
void report_fail(struct report_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Records the first input the report had to leave out, and says so in the document. */
void report_bad_input(struct report_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Plots */
struct report_plot {
	FILE *gp; /* the gnuplot script being written */
	char *name; /* "<stem>-heatmap" */
	char *dat; /* "<name>.dat", relative to the plots folder */
	FILE *datf;
	const struct report_doc *doc;
};

/**
 * Starts plots/<name>.gp and plots/<name>.dat: terminal, output, title,
 * and @label (PMIG_EMULATED_LABEL, PMIG_DETERMINISTIC_LABEL) unless NULL
 * (real hardware). The caller adds settings to
 * p->gp and data to p->datf, then calls report_plot_draw().
 */
int report_plot_begin(struct report_plot *p, struct report_doc *d,
		      const char *name, const char *title, const char *label);
/** report_plot_begin() of an image @width x @height pixels (960 x 540 there). */
int report_plot_begin_size(struct report_plot *p, struct report_doc *d,
			   const char *name, const char *title,
			   const char *label, int width, int height);
/** Runs gnuplot on the script; on success puts the image in the document. */
int report_plot_draw(struct report_plot *p, struct report_doc *d,
		     const char *alt);

/** gnuplot string literal contents: quotes and backslashes dropped. */
void report_gp_text(FILE *f, const char *s);

/* The files of a run */
/** Subdirectories of @dir but plots/, sorted, NULL-terminated (report_free_list()); NULL without memory. */
char **report_subdirs(const char *dir);
void report_free_list(char **list);

/* A regular file of the run: in @dir, which is the run directory's @sub (NULL: the run directory itself). */
struct report_file {
	const char *dir, *sub, *name;
	const char *path; /* "@dir/@name" */
	const char *
		rel; /* "@sub/@name", or @name: its path relative to the run directory */
};
typedef int (*report_file_fn)(struct report_doc *d, const struct report_file *f,
			      void *arg);
/** Whether file name @s ends in @tail. */
bool report_ends_with(const char *s, const char *tail);
/** The whole small text file @dir/@name, or NULL; malloc()ed. */
char *report_read_text(const char *dir, const char *name);
/**
 * How the times of a benchmark file in @dir were taken, from vm.txt there
 * and the file's context emulation (@emu, may be NULL): PMIG_EMULATED_LABEL,
 * PMIG_DETERMINISTIC_LABEL, or NULL for hardware.
 */
const char *report_timing_label(const char *dir, const char *emu);
/** The value of "@key=" in @dir's vm.txt (pmig vm's facts), into @buf; false when absent. */
bool report_vm_fact(const char *dir, const char *key, char *buf, size_t size);
/** A time in ns as a table shows it: 3 significant digits in s, ms, us or ns; "-" when not finite. */
void report_fmt_ns(char *buf, size_t size, double ns);
/** A file of the run that may be benchmark JSON: *.json but not a KCIDB export. */
bool report_maybe_bench_json(const struct report_file *f);
/**
 * Calls @fn for every regular file of the run directory, then of each of
 * @subs in turn (report_subdirs()), in sorted order; returns the sum of
 * what @fn returned.
 */
long report_each_file(struct report_doc *d, char **subs, report_file_fn fn,
		      void *arg);

/* Sections */
/**
 * Kernels side by side: when two or more instruction-counted benchmark runs
 * are under the directory, ns per page per benchmark and run, a plot,
 * bench-matrix.tsv, and what kernel command-line knobs explain of the gap to
 * the oldest kernel. Nothing otherwise.
 */
void report_kernels(struct report_doc *d, char **subs);
/**
 * Tiering: when a benchmark file under the directory holds tiering runs
 * (pmig "kind" "tiering"), per file the convergence of every strategy
 * (promote and demote side by side) and a small plot per strategy, then
 * one table of their figures for every kernel. Nothing otherwise.
 */
void report_tiering(struct report_doc *d, char **subs);
/**
 * Kernel coverage: per coverage.json under the directory (pmig coverage),
 * reached/total per file and the functions the suite did not reach; with
 * two or more, how each differs from the first. Nothing otherwise.
 */
void report_coverage(struct report_doc *d, char **subs);
/** Conformance: every conform.kcidb.json and matrix TSV under the directory. */
void report_conformance(struct report_doc *d);
/**
 * Benchmarks of one file (@rel: its path relative to the run directory;
 * @stem names its plots): summary table, heatmap, strategies per kind,
 * throughput against batch size, latency distribution.
 */
void report_bench(struct report_doc *d, const struct pmig_bj *bj,
		  const char *rel, const char *stem, const char *label);

#endif
