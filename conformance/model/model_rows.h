/* model_rows.h - which spec rows the models implement, which they leave to the cases and why, and the document that says so. */
#ifndef PMIG_MODEL_ROWS_H
#define PMIG_MODEL_ROWS_H

#include <stddef.h>
#include <stdio.h>

/*
 * A group of spec rows: those one model implements, or those the models
 * leave to the cases for one reason. Every spec row is in exactly one
 * group (tests/test_model_rows.c checks it, and that every implemented row
 * has a model test), so a new row needs a rule or a reason.
 */
struct pmig_model_rows {
	const char *what; /* implemented: the model; left out: why */
	const char *const *rows; /* full row ids, NULL-terminated */
};

extern const struct pmig_model_rows pmig_model_implemented[];
extern const size_t pmig_model_implemented_count;
extern const struct pmig_model_rows pmig_model_left_out[];
extern const size_t pmig_model_left_out_count;

/** How many groups of pmig_model_implemented[] name row @id (once is right). */
size_t pmig_model_implements(const char *id);
/** How many groups of pmig_model_left_out[] name row @id. */
size_t pmig_model_leaves_out(const char *id);

/** Prints docs/MODEL.md from the groups and the spec table; 0, or -1 on an output error. */
int pmig_model_markdown(FILE *out);

#endif
