/* topo_xml.c - refuses hwloc XML that libhwloc 2.9 would crash on, before hwloc reads it (found by fuzz_topo). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

/*
 * Whether the tag text [@tag, @end) has attribute @name: preceded by white
 * space and followed by '='. A plain scan, not libxml2: pmig-topo runs in
 * every guest, and libxml2 brings 30 MB of ICU data with it.
 */
static bool has_attr(const char *tag, const char *end, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = tag; p + n < end; p++)
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' ||
		     p[-1] == '\r') &&
		    !strncmp(p, name, n) && p[n] == '=')
			return true;
	return false;
}

/* Every <object ...> with a cpuset or nodeset also has its complete_ twin. */
static bool objects_ok(const char *text)
{
	for (const char *t = strstr(text, "<object"); t;
	     t = strstr(t + 1, "<object")) {
		const char *end = strchr(t, '>');

		if (!end)
			return true; /* not well-formed: hwloc refuses it itself */
		if ((has_attr(t + 1, end, "cpuset") &&
		     !has_attr(t + 1, end, "complete_cpuset")) ||
		    (has_attr(t + 1, end, "nodeset") &&
		     !has_attr(t + 1, end, "complete_nodeset")))
			return false;
	}
	return true;
}

int pmig_topo_xml_check(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return -errno;
	/* Unreadable as text (a directory): hwloc says what is wrong itself. */
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		fclose(f);
		return 0;
	}
	fclose(f);
	ok = objects_ok(text);
	free(text);
	return ok ? 0 : -EINVAL;
}
