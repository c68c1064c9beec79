/* pmig-covdwarf.c - the functions of chosen kernel source files, their code and their inlined copies' address ranges, read from a vmlinux's DWARF: the table pmig coverage attributes executed code with. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD "pmig covdwarf"

static const char usage[] =
	"usage: pmig-covdwarf VMLINUX PREFIX...\n"
	"Print, for every compilation unit of VMLINUX whose name starts with one\n"
	"of the PREFIXes (e.g. mm/ kernel/cgroup/cpuset.c), the functions defined\n"
	"in that source file, one line per address range:\n"
	"  FILE<TAB>FUNCTION<TAB>LINE<TAB>code|inline|none<TAB>LOW<TAB>HIGH\n"
	"code: an out-of-line copy of the function (a .cold part and each clone\n"
	"is a range of its own); inline: a copy the compiler inlined into another\n"
	"function; none: the function has no code of its own in this build (LOW\n"
	"and HIGH are 0). Addresses are hexadecimal, HIGH is one past the end.\n"
	"Exit 0; 2 on bad input; 1 when VMLINUX has no DWARF.\n";

struct unit {
	const char
		*name; /* the compilation unit's file, as the build named it */
	size_t len;
};

/* Whether @decl (a declaration's file, maybe an absolute path) is @u's own file. */
static bool own_file(const struct unit *u, const char *decl)
{
	size_t n;

	if (!decl)
		return false;
	if (!strcmp(decl, u->name))
		return true;
	n = strlen(decl);
	return n > u->len && decl[n - u->len - 1] == '/' &&
	       !strcmp(decl + n - u->len, u->name);
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

/* One line per address range of @die, or a "none" line when it has none. */
static void emit(const struct unit *u, Dwarf_Die *die, const char *kind)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;
	const char *name = die_name(die);
	int line = 0, n = 0;

	if (!name || !own_file(u, dwarf_decl_file(die)))
		return;
	dwarf_decl_line(die, &line);
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		if (hi <= lo)
			continue;
		printf("%s\t%s\t%d\t%s\t%" PRIx64 "\t%" PRIx64 "\n", u->name,
		       name, line, kind, (uint64_t)lo, (uint64_t)hi);
		n++;
	}
	if (!n)
		printf("%s\t%s\t%d\tnone\t0\t0\n", u->name, name, line);
}

/* Every function and inlined copy under @parent, at any depth. */
static void walk(const struct unit *u, Dwarf_Die *parent)
{
	Dwarf_Die child;

	if (dwarf_child(parent, &child) != 0)
		return;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
			if (!dwarf_hasattr(&child, DW_AT_declaration))
				emit(u, &child, "code");
			break;
		case DW_TAG_inlined_subroutine:
			emit(u, &child, "inline");
			break;
		default:
			break;
		}
		if (dwarf_haschildren(&child))
			walk(u, &child);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static bool wanted(const char *name, char **prefixes, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, subdie;
	Dwarf_Half version;
	uint8_t type;
	Dwarf *dw;
	int fd, units = 0;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr,
			CMD ": expected VMLINUX and at least one PREFIX\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, CMD ": %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		fprintf(stderr, CMD ": %s: no DWARF (%s)\n", argv[1],
			dwarf_errmsg(-1));
		close(fd);
		return 1;
	}
	while (dwarf_get_units(dw, cu, &cu, &version, &type, &cudie, &subdie) ==
	       0) {
		struct unit u;

		if (dwarf_tag(&cudie) != DW_TAG_compile_unit)
			continue;
		u.name = dwarf_diename(&cudie);
		if (!u.name || !wanted(u.name, argv + 2, argc - 2))
			continue;
		u.len = strlen(u.name);
		walk(&u, &cudie);
		units++;
	}
	dwarf_end(dw);
	close(fd);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, CMD ": cannot write the table\n");
		return 1;
	}
	if (!units)
		fprintf(stderr, CMD ": warning: no compilation unit matched\n");
	return 0;
}
