/* sandbox.h - runs one case in a forked child: own process group, time limit, privilege drop, report pipe. */
#ifndef PMIG_SANDBOX_H
#define PMIG_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "result.h"

/** How a case's child is set up before it runs. */
struct pmig_sandbox {
	unsigned timeout_ms; /* 0: no limit */
	bool set_user; /* switch to uid/gid below (drops every capability) */
	uid_t uid;
	gid_t gid;
	uint64_t
		drop_caps; /* bit (1 << CAP_x): removed from effective, permitted, inheritable, bounding */
};

/** What the parent learnt. Strings are malloc'ed; free with pmig_sandbox_status_free(). */
struct pmig_sandbox_status {
	enum pmig_outcome outcome; /* PASS, FAIL, SKIP or ERROR */
	char *reason;
	char *diag;
	double duration;
};

typedef void (*pmig_sandbox_fn)(void *arg);

/**
 * Forks; the child makes itself a process group leader, applies @sb, runs
 * @fn(@arg) and reports PASS unless it recorded a failure or a skip (see
 * check.h). The parent reads the child's reports, kills the whole group
 * with SIGKILL at the time limit (outcome ERROR "timed out after N ms"),
 * and turns a signal death or an exit without a verdict into ERROR.
 * Returns 0 with *@st filled, or -errno if the child could not be started.
 */
int pmig_sandbox_run(const struct pmig_sandbox *sb, pmig_sandbox_fn fn,
		     void *arg, struct pmig_sandbox_status *st);
void pmig_sandbox_status_free(struct pmig_sandbox_status *st);

/*
 * Child side of the report pipe, used by check.c: one record per call.
 * @kind is 'D' (diagnostic line), 'F' (failure message), 'S' (skip reason),
 * 'E' (the case could not be set up: ERROR) or 'V' (the case ran to its end;
 * the parent derives PASS or FAIL from the 'F' records). Texts are cut at 1 KiB.
 */
void pmig_sandbox_report(char kind, const char *text);

#endif
