/* report_files.c - the files a report reads: the run directory and its subdirectories (plots/ aside), walked in one sorted order; small text files, how a benchmark file's times were taken and how a table writes a time. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "size.h"

char **report_subdirs(const char *dir)
{
	struct dirent **list;
	char **out;
	int n, i, m = 0;

	n = scandir(dir, &list, NULL, alphasort);
	out = calloc(n > 0 ? (size_t)n + 1 : 1, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (out && list[i]->d_type == DT_DIR &&
		    list[i]->d_name[0] != '.' &&
		    strcmp(list[i]->d_name, "plots"))
			out[m++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return out;
}

void report_free_list(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

/* Calls @fn for each regular file of @dir (@sub: its name under the run directory, or NULL). */
static long each_in(struct report_doc *d, const char *dir, const char *sub,
		    report_file_fn fn, void *arg)
{
	struct dirent **list;
	long sum = 0;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int k = 0; k < n; k++) {
		struct report_file f = { .dir = dir,
					 .sub = sub,
					 .name = list[k]->d_name };
		char *path = NULL, *rel = NULL;

		if (list[k]->d_type != DT_REG) {
			free(list[k]);
			continue;
		}
		/* asprintf() leaves its pointer undefined when it fails. */
		if (asprintf(&path, "%s/%s", dir, f.name) < 0)
			path = NULL;
		if (path && asprintf(&rel, "%s%s%s", sub ? sub : "",
				     sub ? "/" : "", f.name) < 0)
			rel = NULL;
		if (path && rel) {
			f.path = path;
			f.rel = rel;
			sum += fn(d, &f, arg);
		} else {
			report_fail(d, "out of memory");
		}
		free(rel);
		free(path);
		free(list[k]);
	}
	if (n >= 0)
		free(list);
	return sum;
}

long report_each_file(struct report_doc *d, char **subs, report_file_fn fn,
		      void *arg)
{
	long sum = each_in(d, d->dir, NULL, fn, arg);
	char *dir;

	for (size_t i = 0; subs && subs[i]; i++) {
		if (asprintf(&dir, "%s/%s", d->dir, subs[i]) < 0)
			break;
		sum += each_in(d, dir, subs[i], fn, arg);
		free(dir);
	}
	return sum;
}

bool report_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

bool report_maybe_bench_json(const struct report_file *f)
{
	return report_ends_with(f->name, ".json") &&
	       !report_ends_with(f->name, ".kcidb.json");
}

char *report_read_text(const char *dir, const char *name)
{
	char *path, *text = NULL;
	size_t len = 0;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

bool report_vm_fact(const char *dir, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	char line[512], *path;
	bool found = false;
	FILE *f;

	if (asprintf(&path, "%s/vm.txt", dir) < 0)
		return false;
	f = fopen(path, "r");
	free(path);
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != '=')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, size, "%s", line + klen + 1);
		found = true;
	}
	fclose(f);
	return found;
}

const char *report_timing_label(const char *dir, const char *emu)
{
	char *t = report_read_text(dir, "vm.txt");
	const char *label = NULL;

	if ((t && strstr(t, "emulation=tcg-icount")) ||
	    pmig_bj_emulation_clock(emu) == PMIG_BJ_CLOCK_ICOUNT)
		label = PMIG_DETERMINISTIC_LABEL;
	else if ((t && strstr(t, "emulation=tcg")) ||
		 pmig_bj_emulation_clock(emu) == PMIG_BJ_CLOCK_TCG)
		label = PMIG_EMULATED_LABEL;
	free(t);
	return label;
}

void report_fmt_ns(char *buf, size_t size, double ns)
{
	pmig_measure_format(ns / 1e9, "s", 3, buf, size);
}
