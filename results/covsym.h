/* covsym.h - a kernel's System.map as a symbolizer: its text symbols sorted by address, their names without the compiler's suffixes, and the symbol an address lies in. */
#ifndef PMIG_COVSYM_H
#define PMIG_COVSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Only text symbols count (types t, T, w, W). A symbol runs from its address
 * to the next higher address in the map. Its function is its name without the
 * suffixes GCC and Clang add to copies of a function (".constprop.0",
 * ".isra.0", ".part.0", ".cold", ".llvm.123": everything from the first dot,
 * which C names never hold) and without the prefixes of the padding and CFI
 * preambles placed before a function ("__pfx_", "__cfi_"), which belong to
 * the function that follows. Error rule as the rest of results/: 0 or -errno.
 */

struct pmig_sym {
	uint64_t addr;
	char *name; /* as in the map */
	char *func; /* the function it is part of */
	bool cold; /* a ".cold" part, moved out of its function's body */
};

struct pmig_symmap {
	struct pmig_sym *syms; /* by address; aliases in the map's order */
	size_t n;
};

/**
 * The function @name is part of, into @out (@len bytes, truncated): @name
 * without the prefixes and suffixes above.
 */
void pmig_sym_func(const char *name, char *out, size_t len);

/**
 * Reads System.map text from @f into @m. A line that is not "HEX TYPE NAME"
 * is an error: -EINVAL, its number in *@line. A map with no text symbol
 * (Debian's linux-image stub) is -ENOENT.
 */
int pmig_symmap_read(FILE *f, struct pmig_symmap *m, size_t *line);

/** The symbol @addr lies in (the last one at or below it), NULL below the first. */
const struct pmig_sym *pmig_symmap_find(const struct pmig_symmap *m,
					uint64_t addr);

/** The first symbol starting exactly at @addr, NULL when none does. */
const struct pmig_sym *pmig_symmap_at(const struct pmig_symmap *m,
				      uint64_t addr);

void pmig_symmap_free(struct pmig_symmap *m);

#endif
