/* pmig-compat32.c - the compat cases' 32-bit (i386) caller of move_pages(2) and migrate_pages(2), without libc. */

/*
 * A 64-bit kernel takes a 32-bit process's pointer arrays and node masks
 * through its compat path (do_pages_move()'s in_compat_syscall() branch,
 * compat_get_bitmap()), which no 64-bit caller reaches.
 * (get_compat_pages_array() serves move_pages with nodes NULL only, which
 * this program does not make.) This program is built freestanding
 * (gcc -m32 -nostdlib), so that no 32-bit libc is needed to build it, and
 * embedded in pmig-conform (compat32_blob.c), which runs it from a memfd.
 *
 * Usage: pmig-compat32 move|migrate|mask-end HOME OTHER PAGES HOLE
 *   move      PAGES written pages (page HOLE unmapped, -1: none) moved to
 *             OTHER by one move_pages(0, ...) with a 32-bit pages[] array
 *   migrate   PAGES written pages, then migrate_pages(0, 65, {HOME},
 *             {OTHER}) with masks of two 32-bit words
 *   mask-end  the same with maxnode 33 and new_nodes one 32-bit word that
 *             ends a page followed by no mapping
 * The pages come from the memory policy the 64-bit parent set before the
 * exec (it is inherited). Output, one line each: "ret R", "page I ADDR
 * STATUS" (STATUS: -1000 for an entry the call did not write, or for
 * migrate), "data BAD" (pages whose pattern changed), "end". Then it waits
 * for its stdin to close, so that the parent can look at its pages.
 */

typedef unsigned int u32;

#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
#define NR_MUNMAP 91
#define NR_MMAP2 192
#define NR_MIGRATE_PAGES 294 /* arch/x86/entry/syscalls/syscall_32.tbl */
#define NR_MOVE_PAGES 317

#define PAGE 4096
#define MAX_PAGES 64
#define UNWRITTEN (-1000)

#define PROT_RW 3 /* PROT_READ | PROT_WRITE */
#define MAP_PRIVATE_ANON 0x22
#define MPOL_MF_MOVE 2

long sc6(long nr, long a, long b, long c, long d, long e, long f);
void start_c(long *sp);

/*
 * int $0x80 with up to six arguments in ebx, ecx, edx, esi, edi, ebp;
 * the four callee-saved registers are pushed first, so the arguments are
 * 20 bytes up the stack.
 */
__asm__(".text\n"
	".globl sc6\n"
	".type sc6, @function\n"
	"sc6:\n"
	"	push %ebp\n"
	"	push %edi\n"
	"	push %esi\n"
	"	push %ebx\n"
	"	mov 20(%esp), %eax\n"
	"	mov 24(%esp), %ebx\n"
	"	mov 28(%esp), %ecx\n"
	"	mov 32(%esp), %edx\n"
	"	mov 36(%esp), %esi\n"
	"	mov 40(%esp), %edi\n"
	"	mov 44(%esp), %ebp\n"
	"	int $0x80\n"
	"	pop %ebx\n"
	"	pop %esi\n"
	"	pop %edi\n"
	"	pop %ebp\n"
	"	ret\n"
	/* The kernel's initial stack: argc, argv[]; 16-byte aligned calls. */
	".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %esp, %eax\n"
	"	and $-16, %esp\n"
	"	sub $12, %esp\n"
	"	push %eax\n"
	"	call start_c\n"
	"	hlt\n");

/* gcc may call these for loops and initializers even when freestanding. */
void *memset(void *d, int c, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static _Noreturn void quit(int code)
{
	for (;;)
		sc6(NR_EXIT, code, 0, 0, 0, 0, 0);
}

static char out[8192];
static unsigned used;

static void put(const char *s)
{
	while (*s && used < sizeof(out))
		out[used++] = *s++;
}

static void put_u(unsigned long u)
{
	char b[16];
	int n = 0;

	do
		b[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < 15);
	while (n)
		if (used < sizeof(out))
			out[used++] = b[--n];
}

static void put_num(long v)
{
	if (v < 0)
		put("-");
	put_u(v < 0 ? -(unsigned long)v : (unsigned long)v);
}

static void flush(void)
{
	unsigned done = 0;

	while (done < used) {
		long w = sc6(NR_WRITE, 1, (long)(out + done), used - done, 0, 0,
			     0);

		if (w <= 0)
			quit(3);
		done += (unsigned)w;
	}
	used = 0;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static long num(const char *s)
{
	long v = 0, sign = 1;

	if (*s == '-')
		sign = -1, s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

static char *map(unsigned long len)
{
	long a = sc6(NR_MMAP2, 0, (long)len, PROT_RW, MAP_PRIVATE_ANON, -1, 0);

	if (a < 0 && a > -4096)
		quit(4);
	return (char *)a;
}

/* A word per page that a moved page must still hold. */
static u32 pattern(int i)
{
	return 0x5a5a0000u + (u32)i;
}

static int run(const char *mode, int home, int other, int n, int hole)
{
	static u32 pages[MAX_PAGES];
	static int nodes[MAX_PAGES], status[MAX_PAGES];
	char *region = map((unsigned long)n * PAGE);
	long ret;
	int bad = 0;

	for (int i = 0; i < n; i++) {
		pages[i] = (u32)(unsigned long)(region + i * PAGE);
		nodes[i] = other;
		status[i] = UNWRITTEN;
		if (i == hole)
			sc6(NR_MUNMAP, (long)pages[i], PAGE, 0, 0, 0, 0);
		else
			*(volatile u32 *)(region + i * PAGE) = pattern(i);
	}
	if (streq(mode, "move")) {
		ret = sc6(NR_MOVE_PAGES, 0, n, (long)pages, (long)nodes,
			  (long)status, MPOL_MF_MOVE);
	} else {
		/* Masks of 32-bit words: the compat bitmap layout. */
		static u32 old[2], new[2];
		u32 *to = new;
		long maxnode = 65;

		if (home >= 32 || other >= 32)
			return 5;
		old[0] = 1u << home;
		new[0] = 1u << other;
		if (streq(mode, "mask-end")) {
			/* One word, and nothing mapped after it. */
			char *two = map(2 * PAGE);

			sc6(NR_MUNMAP, (long)(two + PAGE), PAGE, 0, 0, 0, 0);
			to = (u32 *)(two + PAGE) - 1;
			*to = 1u << other;
			maxnode = 33;
		} else if (!streq(mode, "migrate")) {
			return 2;
		}
		ret = sc6(NR_MIGRATE_PAGES, 0, maxnode, (long)old, (long)to, 0,
			  0);
	}
	for (int i = 0; i < n; i++)
		if (i != hole &&
		    *(volatile u32 *)(region + i * PAGE) != pattern(i))
			bad++;
	put("ret ");
	put_num(ret);
	put("\n");
	for (int i = 0; i < n; i++) {
		put("page ");
		put_num(i);
		put(" ");
		put_u(pages[i]); /* above 2 GiB too */
		put(" ");
		put_num(status[i]);
		put("\n");
	}
	put("data ");
	put_num(bad);
	put("\nend\n");
	flush();
	/* Kept alive (pages mapped) until the parent closes our stdin. */
	while (sc6(NR_READ, 0, (long)out, 1, 0, 0, 0) > 0)
		;
	return 0;
}

void start_c(long *sp)
{
	char **argv = (char **)(sp + 1);
	long n;

	if (sp[0] != 6)
		quit(2);
	n = num(argv[4]);
	if (n < 1 || n > MAX_PAGES)
		quit(2);
	quit(run(argv[1], (int)num(argv[2]), (int)num(argv[3]), (int)n,
		 (int)num(argv[5])));
}
