/* soft_offline.h - what the soft_offline rows give their shared case functions as ctx->arg (spec/soft_offline.def). */
#ifndef PMIG_SOFT_OFFLINE_H
#define PMIG_SOFT_OFFLINE_H

/* soft_offline_moves(): the page kind (enum pmig_page_kind), and how the page is offlined. */
#define PMIG_SO_KIND_MASK 0xff
#define PMIG_SO_VIA_SYSFS (1 << 8) /* soft_offline_page, not madvise() */

/* soft_offline_refused(): which refusal. */
enum pmig_so_error {
	PMIG_SO_E_HOLE, /* madvise() of an address with no mapping */
	PMIG_SO_E_CAPS_MADVISE, /* madvise() without CAP_SYS_ADMIN */
	PMIG_SO_E_CAPS_SYSFS, /* the sysfs file without CAP_SYS_ADMIN */
	PMIG_SO_E_NO_FRAME, /* the sysfs file, a physical address with no memory */
	PMIG_SO_E_NOT_A_NUMBER, /* the sysfs file, a word */
	PMIG_SO_E_PINNED, /* madvise() of a page a pipe holds */
	PMIG_SO_E_DISABLED, /* madvise() with vm.enable_soft_offline 0 */
	PMIG_SO_E_NEVER_TOUCHED, /* madvise() of a mapped page never touched */
};

/* soft_offline_unpoison(): the row's value is a second unpoison of the same frame. */
#define PMIG_SO_UNPOISON_TWICE 1

#endif
