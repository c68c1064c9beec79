/* reproducer.c - prints a random scenario as a standalone C program: builds the pages, makes its call, shows kernel vs model. */
#include <inttypes.h>
#include <stdbool.h>

#include "reproducer.h"
#include "size.h"

/* Program text that does not depend on the scenario, before main's body. */
static const char *const head[] = {
	"#define _GNU_SOURCE",
	"#include <errno.h>",
	"#include <fcntl.h>",
	"#include <signal.h>",
	"#include <stdint.h>",
	"#include <stdio.h>",
	"#include <stdlib.h>",
	"#include <string.h>",
	"#include <sys/mman.h>",
	"#include <sys/prctl.h>",
	"#include <sys/syscall.h>",
	"#include <sys/uio.h>",
	"#include <sys/wait.h>",
	"#include <unistd.h>",
	"",
	"enum { ANON, UNTOUCHED, ZERO, HOLE, SHARED, PINNED, MLOCKED, SWAPPED, MEMFD,",
	"       FILE_CLEAN, FILE_DIRTY, THP, THP_SHARED, HUGETLB };",
	"#define MPOL_DEFAULT 0",
	"#define MPOL_BIND 2",
	"#ifndef MADV_PAGEOUT",
	"#define MADV_PAGEOUT 21",
	"#endif",
	"#ifndef MAP_HUGE_SHIFT",
	"#define MAP_HUGE_SHIFT 26",
	"#endif",
	"#define UNWRITTEN (-2147483647 - 1 + 7) /* status the call did not write */",
	NULL,
};

static const char *const body[] = {
	"static long ps;",
	"static unsigned long thp, htlb; /* THP and hugetlb page sizes */",
	"static char *base[NPAGES];",
	"static const char *dir;",
	"",
	"static void die(const char *what)",
	"{",
	"\tperror(what);",
	"\texit(2);",
	"}",
	"",
	"/* The number after key at the start of a line of path; 0 when absent. */",
	"static unsigned long number_in(const char *path, const char *key)",
	"{",
	"\tchar line[256];",
	"\tunsigned long v = 0;",
	"\tFILE *f = fopen(path, \"r\");",
	"",
	"\tif (!f)",
	"\t\treturn 0;",
	"\twhile (fgets(line, sizeof(line), f))",
	"\t\tif (!strncmp(line, key, strlen(key))) {",
	"\t\t\tv = strtoul(line + strlen(key), NULL, 10);",
	"\t\t\tbreak;",
	"\t\t}",
	"\tfclose(f);",
	"\treturn v;",
	"}",
	"",
	"/* This machine's sizes, as pmig reads them: hugetlb is the THP-sized pool, else the default. */",
	"static void read_sizes(void)",
	"{",
	"\tchar pool[96];",
	"",
	"\tps = sysconf(_SC_PAGESIZE);",
	"\tthp = number_in(\"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size\", \"\");",
	"\tsnprintf(pool, sizeof(pool), \"/sys/kernel/mm/hugepages/hugepages-%lukB\", thp >> 10);",
	"\thtlb = thp && !access(pool, F_OK) ? thp :",
	"\t\tnumber_in(\"/proc/meminfo\", \"Hugepagesize:\") << 10;",
	"}",
	"",
	"static int huge(int p)",
	"{",
	"\treturn kind[p] == THP || kind[p] == THP_SHARED || kind[p] == HUGETLB;",
	"}",
	"",
	"/* The bytes of page p's region: a THP, a hugetlb page or a base page. */",
	"static size_t len_of(int p)",
	"{",
	"\treturn kind[p] == HUGETLB ? htlb : huge(p) ? thp : (size_t)ps;",
	"}",
	"",
	"/* Has a page in memory whose node the call reports. */",
	"static int resident(int p)",
	"{",
	"\treturn kind[p] != UNTOUCHED && kind[p] != ZERO && kind[p] != HOLE &&",
	"\t       kind[p] != SWAPPED;",
	"}",
	"",
	"/* mbind(MPOL_BIND) of a range, or set_mempolicy() for a == NULL (n < 0: default). */",
	"static void bind(char *a, size_t len, int n)",
	"{",
	"\tunsigned long mask[2] = { 0, 0 };",
	"\tlong err;",
	"",
	"\tif (n >= 0)",
	"\t\tmask[n / 64] |= 1UL << (n % 64);",
	"\tif (a)",
	"\t\terr = syscall(SYS_mbind, a, len, MPOL_BIND, mask, 128UL, 0);",
	"\telse",
	"\t\terr = syscall(SYS_set_mempolicy, n < 0 ? MPOL_DEFAULT : MPOL_BIND,",
	"\t\t\t      n < 0 ? NULL : mask, 128UL);",
	"\tif (err)",
	"\t\tdie(\"mbind\");",
	"}",
	"",
	"static char *map(size_t len, int flags, int fd)",
	"{",
	"\tchar *a = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);",
	"",
	"\tif (a == MAP_FAILED)",
	"\t\tdie(\"mmap\");",
	"\treturn a;",
	"}",
	"",
	"/* THP-size aligned and MADV_HUGEPAGE, so the first write can map a THP. */",
	"static char *map_thp(void)",
	"{",
	"\tchar *raw = map(2 * thp, MAP_PRIVATE | MAP_ANONYMOUS, -1);",
	"\tchar *a = (char *)(((uintptr_t)raw + thp - 1) & ~(uintptr_t)(thp - 1));",
	"",
	"\tif (a > raw)",
	"\t\tmunmap(raw, a - raw);",
	"\tmunmap(a + thp, raw + thp - a);",
	"\tif (madvise(a, thp, MADV_HUGEPAGE))",
	"\t\tdie(\"madvise(MADV_HUGEPAGE)\");",
	"\treturn a;",
	"}",
	"",
	"/* A one-page file in dir; its page cache comes from the task's policy. */",
	"static char *map_file(int p)",
	"{",
	"\tint dirty = kind[p] == FILE_DIRTY, fd;",
	"\tchar path[4096], *buf = malloc(ps), *a;",
	"",
	"\tsnprintf(path, sizeof(path), \"%s/pmig-repro-XXXXXX\", dir);",
	"\tfd = mkstemp(path);",
	"\tif (fd < 0 || !buf)",
	"\t\tdie(path);",
	"\tunlink(path);",
	"\tmemset(buf, 0x5a ^ p, ps);",
	"\tbind(NULL, 0, node[p]);",
	"\tif (pwrite(fd, buf, ps, 0) != ps)",
	"\t\tdie(\"pwrite\");",
	"\tbind(NULL, 0, -1);",
	"\tif (!dirty && fdatasync(fd))",
	"\t\tdie(\"fdatasync\");",
	"\ta = mmap(NULL, ps, PROT_READ | (dirty ? PROT_WRITE : 0), MAP_SHARED, fd, 0);",
	"\tif (a == MAP_FAILED)",
	"\t\tdie(\"mmap\");",
	"\tclose(fd);",
	"\tfree(buf);",
	"\tif (dirty)",
	"\t\ta[0] = 0x5a ^ p;",
	"\telse",
	"\t\t(void)*(volatile char *)a;",
	"\treturn a;",
	"}",
	"",
	"/* Makes page p's region: bound to node[p] and written, unless a kind says otherwise. */",
	"static void make(int p)",
	"{",
	"\tsize_t len = len_of(p);",
	"\tstruct iovec iov;",
	"\tint fds[2], fd;",
	"\tchar *a;",
	"",
	"\tif (kind[p] == THP || kind[p] == THP_SHARED) {",
	"\t\ta = map_thp();",
	"\t} else if (kind[p] == HUGETLB) {",
	"\t\ta = map(htlb, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |",
	"\t\t\t\t  __builtin_ctzl(htlb) << MAP_HUGE_SHIFT, -1);",
	"\t} else if (kind[p] == MEMFD) {",
	"\t\tfd = memfd_create(\"pmig-repro\", 0);",
	"\t\tif (fd < 0 || ftruncate(fd, ps))",
	"\t\t\tdie(\"memfd\");",
	"\t\ta = map(ps, MAP_SHARED, fd);",
	"\t\tclose(fd);",
	"\t} else if (kind[p] == FILE_CLEAN || kind[p] == FILE_DIRTY) {",
	"\t\tbase[p] = map_file(p);",
	"\t\treturn;",
	"\t} else {",
	"\t\ta = map(ps, MAP_PRIVATE | MAP_ANONYMOUS, -1);",
	"\t\tmadvise(a, ps, MADV_NOHUGEPAGE); /* base pages only */",
	"\t}",
	"\tbase[p] = a;",
	"\tif (kind[p] == UNTOUCHED)",
	"\t\treturn;",
	"\tif (kind[p] == ZERO) {",
	"\t\t(void)*(volatile char *)a;",
	"\t\treturn;",
	"\t}",
	"\tif (kind[p] == HOLE) {",
	"\t\tif (munmap(a, ps))",
	"\t\t\tdie(\"munmap\");",
	"\t\treturn;",
	"\t}",
	"\tbind(a, len, node[p]);",
	"\tmemset(a, 0x5a ^ p, len);",
	"\tif (kind[p] == MLOCKED && mlock(a, len))",
	"\t\tdie(\"mlock\");",
	"\tif (kind[p] == SWAPPED && madvise(a, len, MADV_PAGEOUT))",
	"\t\tdie(\"madvise(MADV_PAGEOUT)\");",
	"\tif (kind[p] == PINNED) {",
	"\t\t/* A pipe holds a reference to the page: migration of it fails. */",
	"\t\tiov.iov_base = a;",
	"\t\tiov.iov_len = ps;",
	"\t\tif (pipe(fds) || vmsplice(fds[1], &iov, 1, SPLICE_F_NONBLOCK) != ps)",
	"\t\t\tdie(\"vmsplice\");",
	"\t}",
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
	"/* /proc/self/pagemap entry of a: bit 62 swapped, bits 0-54 the frame (root). */",
	"static uint64_t pagemap(char *a)",
	"{",
	"\tuint64_t e = 0;",
	"\tint fd = open(\"/proc/self/pagemap\", O_RDONLY);",
	"",
	"\tif (fd < 0 || pread(fd, &e, 8, (off_t)((uintptr_t)a / ps * 8)) != 8)",
	"\t\tdie(\"/proc/self/pagemap\");",
	"\tclose(fd);",
	"\treturn e;",
	"}",
	"",
	"/* Whether a's page is a THP (/proc/kpageflags bit 22: root only). */",
	"static int is_thp(char *a)",
	"{",
	"\tuint64_t pfn = pagemap(a) & ((1ULL << 55) - 1), f = 0;",
	"\tint fd = open(\"/proc/kpageflags\", O_RDONLY);",
	"",
	"\tif (fd < 0 || !pfn || pread(fd, &f, 8, (off_t)(pfn * 8)) != 8)",
	"\t\tdie(\"/proc/kpageflags (run as root)\");",
	"\tclose(fd);",
	"\treturn (f >> 22) & 1;",
	"}",
	"",
	"/* Exits 2 unless this machine's sizes hold every entry's address in its page. */",
	"static void check_sizes(void)",
	"{",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tif (!len_of(p)) {",
	"\t\t\tfprintf(stderr, \"cannot build the scenario: no %s here\\n\",",
	"\t\t\t\tkind[p] == HUGETLB ? \"hugetlb pool\" : \"THP\");",
	"\t\t\texit(2);",
	"\t\t}",
	"\tfor (int i = 0; i < COUNT; i++)",
	"\t\tif (byte[i] >= (unsigned long)ps ||",
	"\t\t    sub[i] * ps + byte[i] >= len_of(page_of[i])) {",
	"\t\t\tfprintf(stderr, \"cannot build the scenario: entry %d is past its page with %ld-byte pages\\n\",",
	"\t\t\t\ti, ps);",
	"\t\t\texit(2);",
	"\t\t}",
	"}",
	"",
	"/* Exits 2 unless page p is what the scenario asks for. */",
	"static void check(int p)",
	"{",
	"\tconst char *why = NULL;",
	"",
	"\tif ((kind[p] == THP || kind[p] == THP_SHARED) && !is_thp(base[p]))",
	"\t\twhy = \"is not a THP (THP enabled and defrag: madvise?)\";",
	"\telse if (kind[p] == SWAPPED && !(pagemap(base[p]) >> 62 & 1))",
	"\t\twhy = \"was not swapped out (no swap?)\";",
	"\telse if (resident(p) && node_of(base[p]) != node[p])",
	"\t\twhy = \"is not on its node\";",
	"\tif (!why)",
	"\t\treturn;",
	"\tfprintf(stderr, \"cannot build the scenario: p%d %s\\n\", p, why);",
	"\texit(2);",
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
	"/* migrate_pages(0, old, new) as the kernel counts it, or -errno. */",
	"static long migrate(void)",
	"{",
	"\tunsigned long old[2] = { OLD_NODES, 0 }, new[2] = { NEW_NODES, 0 };",
	"\tlong r = syscall(SYS_migrate_pages, 0, 129UL, old, new);",
	"",
	"\treturn r < 0 ? -errno : r;",
	"}",
	"",
	"/* mbind(2) over page MB_FIRST's whole region, or -errno. */",
	"static long bind_call(void)",
	"{",
	"\tunsigned long mask[2] = { MB_NODES, 0 };",
	"\tlong r = syscall(SYS_mbind, base[MB_FIRST], len_of(MB_FIRST), MB_MODE, mask, 129UL,",
	"\t\t\t MB_FLAGS);",
	"",
	"\treturn r < 0 ? -errno : r;",
	"}",
	"",
	"static int shared(int p)",
	"{",
	"\treturn kind[p] == SHARED || kind[p] == THP_SHARED;",
	"}",
	"",
	"int main(int argc, char **argv)",
	"{",
	"\tvoid *pages[COUNT];",
	"\tint nodes[COUNT], status[COUNT], ready[2], bad = 0;",
	"\tpid_t sharer = 0, parent;",
	"\tchar c = 0, what[32];",
	"\tlong ret, before = 0;",
	"",
	"\tread_sizes();",
	"\tcheck_sizes();",
	"\t/* migrate_pages counts the whole process: its failures before the pages exist. */",
	"\tif (OP == OP_MIGRATE)",
	"\t\tbefore = migrate();",
	"\tdir = argc > 1 ? argv[1] : getenv(\"PMIG_SCRATCH_DIR\");",
	"\tif (!dir)",
	"\t\tdir = \"/var/tmp\";",
	"\t/* Shared pages first: the sharer's fork COW-shares what is written. */",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tif (shared(p))",
	"\t\t\tmake(p);",
	"\tfor (int p = 0; p < NPAGES && !sharer; p++) {",
	"\t\tif (!shared(p))",
	"\t\t\tcontinue;",
	"\t\tif (pipe(ready))",
	"\t\t\tdie(\"pipe\");",
	"\t\tparent = getpid();",
	"\t\tsharer = fork();",
	"\t\tif (sharer < 0)",
	"\t\t\tdie(\"fork\");",
	"\t\tif (sharer == 0) {",
	"\t\t\t/* Dies with the program, even one killed before the signal was set. */",
	"\t\t\tprctl(PR_SET_PDEATHSIG, SIGKILL);",
	"\t\t\tif (getppid() != parent)",
	"\t\t\t\t_exit(1);",
	"\t\t\tif (write(ready[1], &c, 1) != 1)",
	"\t\t\t\t_exit(1);",
	"\t\t\tpause();",
	"\t\t\t_exit(0);",
	"\t\t}",
	"\t\tif (read(ready[0], &c, 1) != 1)",
	"\t\t\tdie(\"sharer\");",
	"\t}",
	"\t/* Holes last: nothing mapped afterwards can land in them. */",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tif (!shared(p) && kind[p] != HOLE)",
	"\t\t\tmake(p);",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tif (kind[p] == HOLE)",
	"\t\t\tmake(p);",
	"\tfor (int p = 0; p < NPAGES; p++)",
	"\t\tcheck(p);",
	"\tfor (int i = 0; i < COUNT; i++) {",
	"\t\tpages[i] = base[page_of[i]] + sub[i] * ps + byte[i];",
	"\t\tnodes[i] = target[i];",
	"\t\tstatus[i] = UNWRITTEN;",
	"\t}",
	"\tif (OP == OP_MIGRATE) {",
	"\t\tret = migrate();",
	"\t\tif (ret >= 0 && before > 0)",
	"\t\t\tret -= before;",
	"\t} else if (OP == OP_MBIND) {",
	"\t\tret = bind_call();",
	"\t} else {",
	"\t\tret = syscall(SYS_move_pages, 0, (unsigned long)COUNT, pages,",
	"\t\t\t      QUERY ? NULL : nodes, status, FLAGS);",
	"\t\tif (ret < 0)",
	"\t\t\tret = -errno;",
	"\t}",
	"\tbad |= report(\"return\", ret, want_ret);",
	"\tfor (int i = 0; i < COUNT && OP == OP_MOVE; i++) {",
	"\t\tsnprintf(what, sizeof(what), \"status[%d]\", i);",
	"\t\tbad |= report(what, status[i], want_status[i]);",
	"\t}",
	"\tfor (int p = 0; p < NPAGES; p++) {",
	"\t\tif (!resident(p))",
	"\t\t\tcontinue;",
	"\t\tsnprintf(what, sizeof(what), \"node p%d\", p);",
	"\t\tbad |= report(what, node_of(base[p]), want_node[p]);",
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

/* Whether @node is a target of @s's call (a node a page may move to). */
static bool target_of(const struct pmig_rnd_scenario *s, int node)
{
	pmig_model_nodemask bit =
		node >= 0 && node < 64 ? (pmig_model_nodemask)1 << node : 0;

	if (s->call.op == PMIG_RND_OP_MIGRATE_PAGES)
		return s->call.new_nodes & bit;
	if (s->call.op == PMIG_RND_OP_MBIND)
		return s->call.nodes & bit;
	for (size_t i = 0; i < s->count && !s->query; i++)
		if (s->entries[i].target == node)
			return true;
	return false;
}

/* Whether @s's call moves shared pages: MPOL_MF_MOVE_ALL, as root asks it of migrate_pages(2). */
static bool move_all(const struct pmig_rnd_scenario *s)
{
	switch (s->call.op) {
	case PMIG_RND_OP_MIGRATE_PAGES:
		return true;
	case PMIG_RND_OP_MBIND:
		return s->call.flags & PMIG_MODEL_MF_MOVE_ALL;
	default:
		return s->flags & PMIG_MODEL_MF_MOVE_ALL;
	}
}

/* What the program needs from the machine, as a comment. */
static void needs(FILE *f, const struct pmig_rnd_scenario *s)
{
	bool kind[PMIG_RND_NKINDS] = { false };
	unsigned hugetlb = 0;
	char size[16];

	for (size_t p = 0; p < s->npages; p++) {
		kind[s->pages[p].kind] = true;
		hugetlb += s->pages[p].kind == PMIG_RND_HUGETLB;
	}
	fprintf(f, " * Needs: root (pagemap frames%s)",
		move_all(s) ? ", CAP_SYS_NICE" : "");
	if (kind[PMIG_RND_THP] || kind[PMIG_RND_THP_SHARED])
		fprintf(f,
			";\n *   THP: /sys/kernel/mm/transparent_hugepage/enabled and defrag madvise");
	if (hugetlb) {
		/* The random run gives every memory node PMIG_RND_MAX_PAGES. */
		pmig_size_format(s->sizes.hugetlb, size, sizeof(size));
		fprintf(f, ";\n *   %u free %s hugetlb page(s) on node(s)",
			hugetlb, size);
		for (int n = 0; n < PMIG_RND_MAX_NODES; n++) {
			bool home = false;

			for (size_t p = 0; p < s->npages; p++)
				home |= s->pages[p].kind == PMIG_RND_HUGETLB &&
					s->pages[p].node == n;
			if (home || target_of(s, n))
				fprintf(f, " %d", n);
		}
		fprintf(f,
			" (the runner had %d on each: echo %d > /sys/devices/system/node/nodeN/hugepages/hugepages-%zukB/nr_hugepages)",
			PMIG_RND_MAX_PAGES, PMIG_RND_MAX_PAGES,
			s->sizes.hugetlb >> 10);
	}
	if (kind[PMIG_RND_SWAPPED])
		fprintf(f, ";\n *   active swap (MADV_PAGEOUT)");
	if (kind[PMIG_RND_FILE_CLEAN] || kind[PMIG_RND_FILE_DIRTY])
		fprintf(f,
			";\n *   a directory on a disk filesystem: ./repro DIR, else $PMIG_SCRATCH_DIR, else /var/tmp");
	fprintf(f, ".\n");
}

void pmig_rnd_reproducer(FILE *f, const struct pmig_rnd_scenario *s, long ret,
			 const int *status, const int *final)
{
	static const char *const kinds[PMIG_RND_NKINDS] = {
		"ANON",	      "UNTOUCHED",  "ZERO",	  "HOLE",
		"SHARED",     "PINNED",	    "MLOCKED",	  "SWAPPED",
		"MEMFD",      "FILE_CLEAN", "FILE_DIRTY", "THP",
		"THP_SHARED", "HUGETLB",
	};
	static const char *const ops[] = {
		[PMIG_RND_OP_MOVE_PAGES] = "move_pages",
		[PMIG_RND_OP_MIGRATE_PAGES] = "migrate_pages",
		[PMIG_RND_OP_MBIND] = "mbind",
	};
	int v[PMIG_RND_MAX_ENTRIES];
	char desc[1024], base[16], thp[16], htlb[16];

	pmig_rnd_format(s, desc, sizeof(desc));
	fprintf(f,
		"/* pmig reproducer: %s(2), random scenario seed %" PRIu64
		" id %" PRIu64 ", shrunk:\n * %s\n",
		ops[s->call.op], s->seed, s->id, desc);
	needs(f, s);
	fprintf(f,
		" * Drawn with %s pages, THP %s, hugetlb %s: addresses are base pages\n"
		" * and bytes into them, and the program reads this machine's sizes.\n",
		pmig_size_format(s->sizes.base, base, sizeof(base)),
		pmig_size_format(s->sizes.thp, thp, sizeof(thp)),
		pmig_size_format(s->sizes.hugetlb, htlb, sizeof(htlb)));
	fprintf(f,
		" * Build: cc -Wall -o repro repro.c; run: ./repro [DIR]\n"
		" * Exit 0: kernel and model agree; 1: they differ; 2: the scenario could not be built. */\n");
	lines(f, head);
	fprintf(f,
		"enum { OP_MOVE, OP_MIGRATE, OP_MBIND };\n#define OP %d /* %s */\n",
		(int)s->call.op, ops[s->call.op]);
	fprintf(f,
		"#define OLD_NODES %#llxUL /* migrate_pages */\n#define NEW_NODES %#llxUL\n",
		(unsigned long long)s->call.old_nodes,
		(unsigned long long)s->call.new_nodes);
	fprintf(f,
		"#define MB_FIRST %u /* mbind */\n#define MB_MODE %d\n#define MB_NODES %#llxUL\n#define MB_FLAGS %u\n",
		s->call.first, (int)s->call.mode,
		(unsigned long long)s->call.nodes, s->call.flags);
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
	/* Offsets as (base page, byte), so they mean the same with other sizes. */
	fprintf(f, "static const unsigned long sub[COUNT] = {");
	for (size_t i = 0; i < s->count; i++)
		fprintf(f, "%s%zu", i ? ", " : " ",
			s->entries[i].offset / s->sizes.base);
	fprintf(f, " };\nstatic const unsigned long byte[COUNT] = {");
	for (size_t i = 0; i < s->count; i++)
		fprintf(f, "%s%#zx", i ? ", " : " ",
			s->entries[i].offset % s->sizes.base);
	fprintf(f, " };\n");
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
