/* kcidb_ident.h - whose a KCIDB file's objects are: origin, checkout and build ids, and the tested kernel's git repository, commit and branch. */
#ifndef PMIG_KCIDB_IDENT_H
#define PMIG_KCIDB_IDENT_H

#include <stddef.h>

/*
 * A CI system joins pmig's results to the kernel it tested through these:
 * the checkout carries the git fields, the tests name the build. Every
 * field may be NULL, which keeps pmig's own value (origin "pmig", ids from
 * the run). The strings are borrowed, never copied.
 */
enum pmig_kcidb_field {
	PMIG_KCIDB_ORIGIN, /* ^[a-z0-9_]+$ */
	PMIG_KCIDB_CHECKOUT_ID, /* ORIGIN:REST, or REST (the origin's) */
	PMIG_KCIDB_BUILD_ID, /* likewise */
	PMIG_KCIDB_GIT_URL, /* ^https://.+ */
	PMIG_KCIDB_GIT_COMMIT, /* 40 lowercase hex digits */
	PMIG_KCIDB_GIT_BRANCH, /* any non-empty text */
	PMIG_KCIDB_FIELD_COUNT
};

struct pmig_kcidb_ident {
	const char *value[PMIG_KCIDB_FIELD_COUNT];
};

/** How a field is given (option, environment variable), what it takes, its help. */
struct pmig_kcidb_field_info {
	const char *option; /* without the leading "--" */
	const char *env;
	const char *rule; /* what a valid value is, for the one-line refusal */
	const char *help;
};

/** The description of @f; NULL outside the enum. */
const struct pmig_kcidb_field_info *
pmig_kcidb_field_info(enum pmig_kcidb_field f);

/**
 * Sets @f to @value if it is valid for that field (the kcidb-io v5.3
 * patterns, plus non-empty), else -EINVAL with @id unchanged.
 */
int pmig_kcidb_ident_set(struct pmig_kcidb_ident *id, enum pmig_kcidb_field f,
			 const char *value);

/**
 * Every field whose environment variable is set and non-empty, through
 * pmig_kcidb_ident_set(); the first bad one stops it: -EINVAL with *@bad
 * set to it. 0 otherwise.
 */
int pmig_kcidb_ident_from_env(struct pmig_kcidb_ident *id,
			      enum pmig_kcidb_field *bad);

#endif
