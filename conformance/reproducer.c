/* reproducer.c - prints a random scenario as a standalone C program: builds the pages, calls move_pages(2), shows kernel vs model. */
#include <inttypes.h>

#include "reproducer.h"

/* Program text that does not depend on the scenario, before main's body. */
static const char *const head[] = {
	"#define _GNU_SOURCE",
	"#include <errno.h>",
	"#include <fcntl.h>",
	"#include <signal.h>",
	"#include <stdio.h>",
	"#include <stdlib.h>",
	"#include <string.h>",
	"#include <sys/mman.h>",
	"#include <sys/syscall.h>",
	"#include <sys/uio.h>",
	"#include <sys/wait.h>",
	"#include <unistd.h>",
	"",
	"enum { ANON, UNTOUCHED, ZERO, HOLE, SHARED, PINNED };",
	"#define MPOL_BIND 2",
	"#define UNWRITTEN (-2147483647 - 1 + 7) /* status the call did not write */",
	NULL,
};

static const char *const body[] = {
	"static long ps;",
	"static char *base;",
	"",
	"static void die(const char *what)",
	"{",
	"\tperror(what);",
	"\texit(2);",
	"}",
	"",
	"/* Binds page p to its node and writes it. */",
	"static void bind_write(int p)",
	"{",
	"\tunsigned long mask[2] = { 0, 0 };",
	"\tchar *a = base + p * ps;",
	"",
	"\tmask[node[p] / 64] |= 1UL << (node[p] % 64);",
	"\tif (syscall(SYS_mbind, a, ps, MPOL_BIND, mask, 128UL, 0))",
	"\t\tdie(\"mbind\");",
	"\tmemset(a, 0x5a ^ p, ps);",
	"}",
	"",
	"/* The node page a is on, or -errno, asked with move_pages(nodes = NULL). */",
	"static int node_of(char *a)",
	"{",
	"\tvoid *pg = a;",
	"\tint st = UNWRITTEN;",
	"",
	"\tif (syscall(SYS_move_pages, 0, 1UL, &pg, NULL, &st, 0))",
	"\t\treturn -errno;",
	"\treturn st;",
	"}",
	"",
	"static const char *show(long v, char *buf)",
	"{",
	"\tif (v == UNWRITTEN)",
	"\t\treturn \"unwritten\";",
	"\tif (v < 0)",
	"\t\tsnprintf(buf, 64, \"%ld (%s)\", v, strerror((int)-v));",
	"\telse",
	"\t\tsnprintf(buf, 64, \"%ld\", v);",
	"\treturn buf;",
	"}",
	"",
	"static int report(const char *what, long kernel, long model)",
	"{",
	"\tchar k[64], m[64];",
	"",
	"\tprintf(\"%-10s kernel %-26s model %-26s%s\\n\", what, show(kernel, k),",
	"\t       show(model, m), kernel == model ? \"\" : \"  DIFFERS\");",
	"\treturn kernel != model;",
	"}",
	"",
	"int main(void)",
	"{",
	"\tvoid *pages[COUNT];",
	"\tint nodes[COUNT], status[COUNT], ready[2], fds[2], bad = 0;",
	"\tstruct iovec iov;",
	"\tpid_t sharer = 0;",
	"\tchar c = 0, what[32];",
	"\tlong ret;",
	"",
	"\tps = sysconf(_SC_PAGESIZE);",
	"\tbase = mmap(NULL, NPAGES * ps, PROT_READ | PROT_WRITE,",
	"\t\t    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);",
	"\tif (base == MAP_FAILED)",
	"\t\tdie(\"mmap\");",
	"\t/* Shared pages first: the sharer's fork COW-shares what is written. */",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tif (kind[p] == SHARED)",
	"\t\t\tbind_write(p);",
	"\tfor (int p = 0; p < NPAGES && !sharer; p++) {",
	"\t\tif (kind[p] != SHARED)",
	"\t\t\tcontinue;",
	"\t\tif (pipe(ready))",
	"\t\t\tdie(\"pipe\");",
	"\t\tsharer = fork();",
	"\t\tif (sharer < 0)",
	"\t\t\tdie(\"fork\");",
	"\t\tif (sharer == 0) {",
	"\t\t\tif (write(ready[1], &c, 1) != 1)",
	"\t\t\t\t_exit(1);",
	"\t\t\tpause();",
	"\t\t\t_exit(0);",
	"\t\t}",
	"\t\tif (read(ready[0], &c, 1) != 1)",
	"\t\t\tdie(\"sharer\");",
	"\t}",
	"\tfor (int p = 0; p < NPAGES; p++) {",
	"\t\tif (kind[p] == ANON || kind[p] == PINNED)",
	"\t\t\tbind_write(p);",
	"\t\tif (kind[p] == ZERO)",
	"\t\t\tc ^= *(volatile char *)(base + p * ps);",
	"\t\tif (kind[p] != PINNED)",
	"\t\t\tcontinue;",
	"\t\t/* A pipe holds a reference to the page: migration of it fails. */",
	"\t\tiov.iov_base = base + p * ps;",
	"\t\tiov.iov_len = ps;",
	"\t\tif (pipe(fds) || vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK) != ps)",
	"\t\t\tdie(\"vmsplice\");",
	"\t}",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tif (kind[p] == HOLE && munmap(base + p * ps, ps))",
	"\t\t\tdie(\"munmap\");",
	"\tfor (int i = 0; i < COUNT; i++) {",
	"\t\tpages[i] = base + page_of[i] * ps + offset[i];",
	"\t\tnodes[i] = target[i];",
	"\t\tstatus[i] = UNWRITTEN;",
	"\t}",
	"\tret = syscall(SYS_move_pages, 0, (unsigned long)COUNT, pages,",
	"\t\t      QUERY ? NULL : nodes, status, FLAGS);",
	"\tif (ret < 0)",
	"\t\tret = -errno;",
	"\tbad |= report(\"return\", ret, want_ret);",
	"\tfor (int i = 0; i < COUNT; i++) {",
	"\t\tsnprintf(what, sizeof(what), \"status[%d]\", i);",
	"\t\tbad |= report(what, status[i], want_status[i]);",
	"\t}",
	"\tfor (int p = 0; p < NPAGES; p++) {",
	"\t\tif (kind[p] != ANON && kind[p] != SHARED && kind[p] != PINNED)",
	"\t\t\tcontinue;",
	"\t\tsnprintf(what, sizeof(what), \"node p%d\", p);",
	"\t\tbad |= report(what, node_of(base + p * ps), want_node[p]);",
	"\t}",
	"\tif (sharer > 0) {",
	"\t\tkill(sharer, SIGKILL);",
	"\t\twaitpid(sharer, NULL, 0);",
	"\t}",
	"\tprintf(\"%s\\n\", bad ? \"kernel and model DIFFER\" : \"kernel and model agree\");",
	"\treturn bad;",
	"}",
	NULL,
};

static void lines(FILE *f, const char *const *l)
{
	for (; *l; l++)
		fprintf(f, "%s\n", *l);
}

static void ints(FILE *f, const char *decl, const int *v, size_t n)
{
	fprintf(f, "static const %s = {", decl);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%d", i ? ", " : " ", v[i]);
	fprintf(f, " };\n");
}

void pmig_rnd_reproducer(FILE *f, const struct pmig_rnd_scenario *s, long ret,
			 const int *status, const int *final)
{
	static const char *const kinds[PMIG_RND_NKINDS] = {
		"ANON", "UNTOUCHED", "ZERO", "HOLE", "SHARED", "PINNED",
	};
	int v[PMIG_RND_MAX_ENTRIES];
	char desc[1024];

	pmig_rnd_format(s, desc, sizeof(desc));
	fprintf(f,
		"/* pmig reproducer: move_pages(2), random scenario seed %" PRIu64
		" id %" PRIu64 ", shrunk:\n * %s\n"
		" * Build: cc -Wall -o repro repro.c; run as root. */\n",
		s->seed, s->id, desc);
	lines(f, head);
	fprintf(f, "#define NPAGES %zu\n#define COUNT %zu\n", s->npages,
		s->count);
	fprintf(f, "#define QUERY %d\n#define FLAGS %u /* %s */\n", s->query,
		s->flags,
		s->flags & PMIG_MODEL_MF_MOVE_ALL ? "MPOL_MF_MOVE_ALL" :
						    "MPOL_MF_MOVE");
	fprintf(f, "static const int kind[NPAGES] = {");
	for (size_t p = 0; p < s->npages; p++)
		fprintf(f, "%s%s", p ? ", " : " ", kinds[s->pages[p].kind]);
	fprintf(f, " };\n");
	for (size_t p = 0; p < s->npages; p++)
		v[p] = s->pages[p].node;
	ints(f, "int node[NPAGES]", v, s->npages);
	for (size_t i = 0; i < s->count; i++)
		v[i] = (int)s->entries[i].page;
	ints(f, "unsigned page_of[COUNT]", v, s->count);
	for (size_t i = 0; i < s->count; i++)
		v[i] = (int)s->entries[i].offset;
	ints(f, "unsigned offset[COUNT]", v, s->count);
	for (size_t i = 0; i < s->count; i++)
		v[i] = s->entries[i].target;
	ints(f, "int target[COUNT]", v, s->count);
	fprintf(f, "/* The model's prediction. */\n");
	fprintf(f, "static const long want_ret = %ld;\n", ret);
	ints(f, "int want_status[COUNT]", status, s->count);
	ints(f, "int want_node[NPAGES]", final, s->npages);
	fprintf(f, "\n");
	lines(f, body);
}
