/* kcidb_ident.c - the KCIDB identity fields: options and environment variables as data, each value checked against kcidb-io v5.3's pattern. */
#include "kcidb_ident.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * The patterns are kcidb-io's (kcidb_io/schema/v05_03.py and the versions
 * it inherits from): origin [a-z0-9_]+, id ORIGIN:..., git_repository_url
 * https://..., git_commit_hash [0-9a-f]{40}. A value KCIDB would refuse is
 * refused here, before the run, not by the submission after it.
 */
static const struct pmig_kcidb_field_info fields[PMIG_KCIDB_FIELD_COUNT] = {
	[PMIG_KCIDB_ORIGIN] = {
		.option = "kcidb-origin",
		.env = "PMIG_KCIDB_ORIGIN",
		.rule = "lowercase letters, digits and '_'",
		.help = "the submitting CI system (default pmig)",
	},
	[PMIG_KCIDB_CHECKOUT_ID] = {
		.option = "kcidb-checkout-id",
		.env = "PMIG_KCIDB_CHECKOUT_ID",
		.rule = "ORIGIN:ID or ID, ORIGIN lowercase letters, digits and '_'",
		.help = "the checkout's id (ID alone: the origin's)",
	},
	[PMIG_KCIDB_BUILD_ID] = {
		.option = "kcidb-build-id",
		.env = "PMIG_KCIDB_BUILD_ID",
		.rule = "ORIGIN:ID or ID, ORIGIN lowercase letters, digits and '_'",
		.help = "the tested kernel build's id, which the tests name",
	},
	[PMIG_KCIDB_GIT_URL] = {
		.option = "kcidb-git-url",
		.env = "PMIG_KCIDB_GIT_URL",
		.rule = "an https:// URL",
		.help = "the kernel's git repository (https://)",
	},
	[PMIG_KCIDB_GIT_COMMIT] = {
		.option = "kcidb-git-commit",
		.env = "PMIG_KCIDB_GIT_COMMIT",
		.rule = "40 lowercase hex digits",
		.help = "the kernel's full commit hash",
	},
	[PMIG_KCIDB_GIT_BRANCH] = {
		.option = "kcidb-git-branch",
		.env = "PMIG_KCIDB_GIT_BRANCH",
		.rule = "not empty",
		.help = "the branch the commit was checked out from",
	},
};

const struct pmig_kcidb_field_info *
pmig_kcidb_field_info(enum pmig_kcidb_field f)
{
	return (unsigned)f < PMIG_KCIDB_FIELD_COUNT ? &fields[f] : NULL;
}

/* @n bytes of @s, all in [a-z0-9_], n > 0. */
static bool is_origin(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return n > 0;
}

/* ORIGIN:REST with a valid ORIGIN, or REST alone (no ':'), not empty. */
static bool is_id(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon ? is_origin(s, (size_t)(colon - s)) : s[0] != '\0';
}

static bool is_commit(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 40;
}

static bool valid(enum pmig_kcidb_field f, const char *v)
{
	switch (f) {
	case PMIG_KCIDB_ORIGIN:
		return is_origin(v, strlen(v));
	case PMIG_KCIDB_CHECKOUT_ID:
	case PMIG_KCIDB_BUILD_ID:
		return is_id(v);
	case PMIG_KCIDB_GIT_URL:
		return !strncmp(v, "https://", 8) && v[8];
	case PMIG_KCIDB_GIT_COMMIT:
		return is_commit(v);
	case PMIG_KCIDB_GIT_BRANCH:
		return v[0] != '\0';
	default:
		return false;
	}
}

int pmig_kcidb_ident_set(struct pmig_kcidb_ident *id, enum pmig_kcidb_field f,
			 const char *value)
{
	if (!id || !value || !valid(f, value))
		return -EINVAL;
	id->value[f] = value;
	return 0;
}

int pmig_kcidb_ident_from_env(struct pmig_kcidb_ident *id,
			      enum pmig_kcidb_field *bad)
{
	const char *v;
	int f;

	for (f = 0; f < PMIG_KCIDB_FIELD_COUNT; f++) {
		v = getenv(fields[f].env);
		if (!v || !v[0])
			continue;
		if (pmig_kcidb_ident_set(id, f, v)) {
			*bad = f;
			return -EINVAL;
		}
	}
	return 0;
}
