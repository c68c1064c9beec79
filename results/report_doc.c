/* report_doc.c - `pmig report`'s document: Markdown and self-contained HTML written side by side, and plots drawn by gnuplot. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>%s</title>\n<style>\n"
	"body { font-family: sans-serif; max-width: 72em; margin: 1em auto; "
	"padding: 0 1em; color: #222; }\n"
	"table { border-collapse: collapse; margin: 0.5em 0 1em; "
	"font-size: 0.9em; }\n"
	"th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; "
	"text-align: left; vertical-align: top; }\n"
	"th { background: #eee; }\n"
	"td.FAIL, td.ERROR, td.FLAKY { background: #f8d0d0; }\n"
	"td.XPASS, td.XFAIL { background: #fbeec0; }\n"
	"td.SKIP { background: #eeeeee; }\n"
	"td.PASS, td.DONE { background: #d8f0d8; }\n"
	".note { border-left: 4px solid #c00000; padding: 0.3em 0.8em; "
	"background: #fff0f0; }\n"
	"pre { background: #f4f4f4; padding: 0.5em; overflow-x: auto; "
	"white-space: pre-wrap; }\n"
	"img { max-width: 100%%; border: 1px solid #ddd; }\n"
	"</style>\n</head>\n<body>\n";

void report_fail(struct report_doc *d, const char *fmt, ...)
{
	va_list ap;

	if (d->why)
		return;
	va_start(ap, fmt);
	if (vasprintf(&d->why, fmt, ap) < 0)
		d->why = NULL;
	va_end(ap);
}

void report_bad_input(struct report_doc *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s) {
		report_fail(d, "out of memory");
		return;
	}
	report_note(d, "Left out: %s", s);
	if (!d->bad_input)
		d->bad_input = s;
	else
		free(s);
}

/* @s for HTML text and attribute values. */
static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* @s for Markdown text; in a table cell also '|' and newlines. */
static void md_text(FILE *f, const char *s, bool cell)
{
	for (; *s; s++) {
		if (cell && (*s == '\n' || *s == '\r')) {
			fputc(' ', f);
			continue;
		}
		if (strchr("*`[]<\\", *s) || (cell && *s == '|'))
			fputc('\\', f);
		fputc(*s, f);
	}
}

int report_doc_open(struct report_doc *d, const char *dir, const char *title,
		    bool png)
{
	char *md = NULL, *html = NULL, *plots = NULL;
	int err = -ENOMEM;

	memset(d, 0, sizeof(*d));
	d->dir = dir;
	d->png = png;
	if (asprintf(&md, "%s/report.md.tmp", dir) < 0 ||
	    asprintf(&html, "%s/report.html.tmp", dir) < 0 ||
	    asprintf(&plots, "%s/plots", dir) < 0)
		goto out;
	if (mkdir(plots, 0777) && errno != EEXIST) {
		err = -errno;
		goto out;
	}
	d->md = fopen(md, "w");
	if (!d->md) {
		err = -errno;
		goto out;
	}
	d->html = fopen(html, "w");
	if (!d->html) {
		err = -errno;
		fclose(d->md);
		d->md = NULL;
		goto out;
	}
	fprintf(d->md, "# ");
	md_text(d->md, title, false);
	fprintf(d->md, "\n\n");
	fprintf(d->html, html_head, "pmig report");
	fprintf(d->html, "<h1>");
	html_text(d->html, title);
	fprintf(d->html, "</h1>\n");
	err = 0;
out:
	free(md);
	free(html);
	free(plots);
	return err;
}

int report_doc_close(struct report_doc *d)
{
	int err = 0;

	fprintf(d->html, "</body>\n</html>\n");
	if (fflush(d->md) || ferror(d->md) || fflush(d->html) ||
	    ferror(d->html))
		err = -EIO;
	if (fclose(d->md))
		err = -EIO;
	if (fclose(d->html))
		err = -EIO;
	return err;
}

void report_h(struct report_doc *d, int level, const char *text)
{
	fprintf(d->md, "%.*s ", level, "######");
	md_text(d->md, text, false);
	fprintf(d->md, "\n\n");
	fprintf(d->html, "<h%d>", level);
	html_text(d->html, text);
	fprintf(d->html, "</h%d>\n", level);
}

static void paragraph(struct report_doc *d, bool note, const char *fmt,
		      va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0) {
		report_fail(d, "out of memory");
		return;
	}
	fprintf(d->md, note ? "> **" : "");
	md_text(d->md, s, false);
	fprintf(d->md, note ? "**\n\n" : "\n\n");
	fprintf(d->html, note ? "<p class=\"note\"><b>" : "<p>");
	html_text(d->html, s);
	fprintf(d->html, note ? "</b></p>\n" : "</p>\n");
	free(s);
}

void report_p(struct report_doc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	paragraph(d, false, fmt, ap);
	va_end(ap);
}

void report_note(struct report_doc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	paragraph(d, true, fmt, ap);
	va_end(ap);
}

void report_pre(struct report_doc *d, const char *text)
{
	/* A fence longer than any backtick run inside cannot close early. */
	fprintf(d->md, "````\n%s%s````\n\n", text,
		text[0] && text[strlen(text) - 1] != '\n' ? "\n" : "");
	fprintf(d->html, "<pre>");
	html_text(d->html, text);
	fprintf(d->html, "</pre>\n");
}

void report_table_begin(struct report_doc *d, size_t ncols,
			const char *const *headers)
{
	size_t i;

	fprintf(d->md, "|");
	fprintf(d->html, "<table>\n<tr>");
	for (i = 0; i < ncols; i++) {
		fputc(' ', d->md);
		md_text(d->md, headers[i], true);
		fprintf(d->md, " |");
		fprintf(d->html, "<th>");
		html_text(d->html, headers[i]);
		fprintf(d->html, "</th>");
	}
	fprintf(d->md, "\n|");
	for (i = 0; i < ncols; i++)
		fprintf(d->md, "---|");
	fprintf(d->md, "\n");
	fprintf(d->html, "</tr>\n");
}

/* Outcome cells get a class, so the HTML colours them. */
static const char *cell_class(const char *cell)
{
	static const char *const outcomes[] = { "PASS",	 "FAIL",  "SKIP",
						"XFAIL", "XPASS", "ERROR",
						"DONE", "FLAKY" };
	size_t i, n;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		n = strlen(outcomes[i]);
		if (!strncmp(cell, outcomes[i], n) &&
		    (cell[n] == '\0' || cell[n] == ' '))
			return outcomes[i];
	}
	return NULL;
}

void report_table_row(struct report_doc *d, size_t ncols,
		      const char *const *cells)
{
	const char *cls;
	size_t i;

	fprintf(d->md, "|");
	fprintf(d->html, "<tr>");
	for (i = 0; i < ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";

		fputc(' ', d->md);
		md_text(d->md, c, true);
		fprintf(d->md, " |");
		cls = cell_class(c);
		fprintf(d->html, cls ? "<td class=\"%s\">" : "<td>",
			cls ? cls : "");
		html_text(d->html, c);
		fprintf(d->html, "</td>");
	}
	fprintf(d->md, "\n");
	fprintf(d->html, "</tr>\n");
}

void report_table_end(struct report_doc *d)
{
	fprintf(d->md, "\n");
	fprintf(d->html, "</table>\n");
}

static void base64(FILE *out, const unsigned char *p, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		fputc(abc[p[i] >> 2], out);
		fputc(abc[(p[i] & 3) << 4 | p[i + 1] >> 4], out);
		fputc(abc[(p[i + 1] & 15) << 2 | p[i + 2] >> 6], out);
		fputc(abc[p[i + 2] & 63], out);
	}
	if (n - i == 1) {
		fputc(abc[p[i] >> 2], out);
		fputc(abc[(p[i] & 3) << 4], out);
		fputs("==", out);
	} else if (n - i == 2) {
		fputc(abc[p[i] >> 2], out);
		fputc(abc[(p[i] & 3) << 4 | p[i + 1] >> 4], out);
		fputc(abc[(p[i + 1] & 15) << 2], out);
		fputc('=', out);
	}
}

/* The whole file at @path; NULL with errno set. */
static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL, *p;
	size_t cap = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*len = 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			p = realloc(buf, cap);
			if (!p)
				break;
			buf = p;
		}
		got = read(fd, buf + *len, cap - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			close(fd);
			if (got == 0)
				return buf;
			free(buf);
			return NULL;
		}
		*len += (size_t)got;
	}
	close(fd);
	free(buf);
	errno = ENOMEM;
	return NULL;
}

void report_image(struct report_doc *d, const char *relpath, const char *alt)
{
	size_t len, n = strlen(relpath);
	unsigned char *data;
	char *path;

	if (asprintf(&path, "%s/%s", d->dir, relpath) < 0) {
		report_fail(d, "out of memory");
		return;
	}
	data = slurp(path, &len);
	if (!data) {
		report_fail(d, "%s: %s", path, strerror(errno));
		free(path);
		return;
	}
	free(path);
	fprintf(d->md, "![");
	md_text(d->md, alt, true);
	fprintf(d->md, "](%s)\n\n", relpath);
	fprintf(d->html, "<p><img alt=\"");
	html_text(d->html, alt);
	fprintf(d->html, "\" src=\"data:%s;base64,",
		n > 4 && !strcmp(relpath + n - 4, ".png") ? "image/png" :
							    "image/svg+xml");
	base64(d->html, data, len);
	fprintf(d->html, "\"></p>\n");
	free(data);
}

void report_gp_text(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s != '"' && *s != '\\' && *s != '\n')
			fputc(*s, f);
}

static FILE *open_in_plots(const struct report_doc *d, const char *name)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/plots/%s", d->dir, name) < 0)
		return NULL;
	f = fopen(path, "w");
	free(path);
	return f;
}

int report_plot_begin(struct report_plot *p, struct report_doc *d,
		      const char *name, const char *title, const char *label)
{
	return report_plot_begin_size(p, d, name, title, label, 960, 540);
}

int report_plot_begin_size(struct report_plot *p, struct report_doc *d,
			   const char *name, const char *title,
			   const char *label, int width, int height)
{
	char *gp = NULL;

	int err;

	memset(p, 0, sizeof(*p));
	p->doc = d;
	if (!(p->name = strdup(name)) ||
	    asprintf(&p->dat, "%s.dat", name) < 0 ||
	    asprintf(&gp, "%s.gp", name) < 0) {
		p->dat = NULL;
		err = -ENOMEM;
		report_fail(d, "out of memory");
		goto fail;
	}
	p->gp = open_in_plots(d, gp);
	p->datf = open_in_plots(d, p->dat);
	if (!p->gp || !p->datf) {
		err = -errno;
		report_fail(d, "%s/plots/%s: %s", d->dir, gp, strerror(errno));
		goto fail;
	}
	free(gp);
	fprintf(p->gp,
		"# %s: drawn by pmig report; `gnuplot %s.gp` redraws it.\n",
		name, name);
	if (d->png)
		fprintf(p->gp,
			"set terminal pngcairo size %d,%d noenhanced "
			"font \"sans,10\" background \"white\"\n",
			width, height);
	else
		fprintf(p->gp,
			"set terminal svg size %d,%d noenhanced "
			"font \"sans,11\" background \"white\"\n",
			width, height);
	fprintf(p->gp, "set output \"%s.%s\"\n", name, d->png ? "png" : "svg");
	fprintf(p->gp, "set datafile separator \"\\t\"\nset title \"");
	report_gp_text(p->gp, title);
	fprintf(p->gp, "\" font \",13\"\n");
	if (label)
		fprintf(p->gp,
			"set tmargin 5\nset label 1000 \"%s"
			"\" at screen 0.5, screen 0.965 center "
			"textcolor rgb \"#c00000\" font \",14\" front\n"
			"set title offset 0,-1\n",
			label);
	return 0;
fail:
	if (p->gp)
		fclose(p->gp);
	if (p->datf)
		fclose(p->datf);
	free(gp);
	free(p->name);
	free(p->dat);
	return err;
}

/* gnuplot @p's script in the plots folder; its messages go to <name>.log. */
static int run_gnuplot(const struct report_plot *p)
{
	char *plots, *gp, *log;
	int status, fd;
	pid_t pid;

	if (asprintf(&plots, "%s/plots", p->doc->dir) < 0)
		return -ENOMEM;
	if (asprintf(&gp, "%s.gp", p->name) < 0 ||
	    asprintf(&log, "%s.log", p->name) < 0) {
		free(plots);
		return -ENOMEM;
	}
	pid = fork();
	if (pid == 0) {
		if (chdir(plots))
			_exit(126);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", gp, (char *)NULL);
		_exit(127);
	}
	free(plots);
	free(gp);
	free(log);
	if (pid < 0)
		return -errno;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int report_plot_draw(struct report_plot *p, struct report_doc *d,
		     const char *alt)
{
	bool wrote = !ferror(p->gp) && !ferror(p->datf);
	char *img = NULL;
	int err;

	wrote = !fclose(p->gp) && wrote;
	wrote = !fclose(p->datf) && wrote;
	if (!wrote) {
		report_fail(d, "%s/plots/%s: write failed", d->dir, p->name);
		err = -EIO;
		goto out;
	}
	err = run_gnuplot(p);
	if (err == -ENOENT)
		report_fail(d, "gnuplot not found (install gnuplot-nox)");
	else if (err)
		report_fail(d, "gnuplot failed on %s/plots/%s.gp (see %s.log)",
			    d->dir, p->name, p->name);
	if (!err &&
	    asprintf(&img, "plots/%s.%s", p->name, d->png ? "png" : "svg") >= 0)
		report_image(d, img, alt);
	free(img);
out:
	free(p->name);
	free(p->dat);
	return err;
}
