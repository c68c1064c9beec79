/* spec_cite.h - the checks of the spec's commit citations (spec/commits.def and PMIG_CITE()). */
#ifndef PMIG_SPEC_CITE_H
#define PMIG_SPEC_CITE_H

#include <stdio.h>

#include "spec.h"

/** What the checks look at: the commit table, the rows and the profile entries. */
struct pmig_cite_tables {
	const struct pmig_commit *const *commits;
	size_t ncommits;
	const struct pmig_spec *rows;
	size_t nrows;
	const struct pmig_profile_entry *entries;
	size_t nentries;
};

/**
 * Refuses, with a line each on @err: a hash that is not 12 lowercase hex
 * digits, a hash listed twice, a first release that is not major.minor, a
 * stable backport not before it, an empty subject or audit field; a row or
 * entry citing a commit the table lacks, or mentioning a hash in its prose
 * that it does not cite as data, or writing after a hash a version that is
 * not that commit's first release or a listed backport (or, where the audit
 * has not confirmed the release, without '?'); a profile entry citing
 * commits whose range has a boundary (other than 0 and today) that is not
 * the first release or a listed backport of one of them; a profile entry
 * whose range ends where a commit it cites arrives (its first release or a
 * backport) and does not begin there, so says "before it", yet holds one
 * of that commit's listed backports. Rows and entries without commits
 * pass. 0 or 1.
 */
int pmig_cite_check(FILE *err, const struct pmig_cite_tables *t);
/** pmig_cite_check() of the spec table, its profiles and spec/commits.def. */
int pmig_cite_check_spec(FILE *err);

#endif
