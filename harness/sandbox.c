/* sandbox.c - runs one case in a forked child with a time limit and privilege drop, and collects its verdict. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "priv.h"
#include "sandbox.h"

#define RECORD_MAX 1024

static int report_fd = -1;

void pmig_sandbox_report(char kind, const char *text)
{
	char rec[RECORD_MAX + 3];
	size_t n = 0;

	if (report_fd < 0)
		return;
	rec[n++] = kind;
	for (; *text && n < RECORD_MAX + 1; text++)
		rec[n++] = *text == '\n' ? ' ' : *text;
	rec[n++] = '\n';
	/* One write per record: the pipe keeps records under PIPE_BUF whole. */
	if (write(report_fd, rec, n) < 0)
		_exit(3);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The parent-death signal, checked against a parent that died before it was set. */
static void die_with(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
}

static _Noreturn void child_main(const struct pmig_sandbox *sb,
				 pmig_sandbox_fn fn, void *arg, int rep,
				 int out, pid_t parent)
{
	char msg[128];
	int err;

	static const int fatal[] = { SIGSEGV, SIGBUS,  SIGABRT, SIGILL, SIGFPE,
				     SIGINT,  SIGTERM, SIGHUP,	SIGQUIT };
	sigset_t none;

	setpgid(0, 0);
	die_with(parent);
	/* A case dies of its own signals, not through the parent's handlers. */
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	report_fd = rep;
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	close(out);
	if (sb->drop_caps && (err = pmig_priv_drop_caps(sb->drop_caps))) {
		snprintf(msg, sizeof(msg), "cannot drop capabilities: %s",
			 strerror(-err));
		pmig_sandbox_report('E', msg);
		_exit(0);
	}
	if (sb->set_user && (err = pmig_priv_become_user(sb->uid, sb->gid))) {
		snprintf(msg, sizeof(msg), "cannot switch to uid %u: %s",
			 (unsigned)sb->uid, strerror(-err));
		pmig_sandbox_report('E', msg);
		_exit(0);
	}
	/* The uid switch cleared it. */
	if (sb->set_user)
		die_with(parent);
	fn(arg);
	pmig_sandbox_report('V', "");
	_exit(0);
}

/* Collected text: diagnostics joined by '\n'. */
struct text {
	char *buf;
	size_t len;
};

static void text_add(struct text *t, const char *prefix, const char *s,
		     size_t n)
{
	size_t plen = strlen(prefix);
	char *nb = realloc(t->buf, t->len + plen + n + 2);

	if (!nb)
		return;
	t->buf = nb;
	if (t->len)
		t->buf[t->len++] = '\n';
	memcpy(t->buf + t->len, prefix, plen);
	memcpy(t->buf + t->len + plen, s, n);
	t->len += plen + n;
	t->buf[t->len] = '\0';
}

struct collector {
	struct text diag;
	char *reason;
	int verdict; /* -1 none yet, else an enum pmig_outcome */
	char rep_part[RECORD_MAX + 4];
	size_t rep_len;
	char out_part[RECORD_MAX + 4];
	size_t out_len;
};

static void take_record(struct collector *c, const char *rec, size_t n)
{
	char kind = rec[0];

	rec++;
	n--;
	switch (kind) {
	case 'D':
		text_add(&c->diag, "", rec, n);
		break;
	case 'F':
		text_add(&c->diag, "", rec, n);
		if (!c->reason)
			c->reason = strndup(rec, n);
		break;
	case 'S':
		free(c->reason);
		c->reason = strndup(rec, n);
		c->verdict = PMIG_SKIP;
		break;
	case 'E':
		free(c->reason);
		c->reason = strndup(rec, n);
		c->verdict = PMIG_ERROR;
		break;
	case 'V':
		c->verdict = c->reason ? PMIG_FAIL : PMIG_PASS;
		break;
	}
}

/* Splits what arrived on @fd into lines; returns 0 at EOF, 1 otherwise. */
static int drain(int fd, char *part, size_t *len, struct collector *c,
		 bool is_report)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return 0;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && *len < RECORD_MAX + 2) {
			part[(*len)++] = buf[i];
			continue;
		}
		if (buf[i] != '\n')
			continue; /* overlong line: keep its head only */
		if (is_report && *len)
			take_record(c, part, *len);
		else if (!is_report)
			text_add(&c->diag, "output: ", part, *len);
		*len = 0;
	}
	return 1;
}

static int pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static void describe_exit(int wstatus, struct collector *c)
{
	char msg[96];

	if (WIFSIGNALED(wstatus))
		snprintf(msg, sizeof(msg),
			 "case process killed by signal %d (%s)",
			 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	else
		snprintf(msg, sizeof(msg),
			 "case process exited with status %d without a verdict",
			 WEXITSTATUS(wstatus));
	free(c->reason);
	c->reason = strdup(msg);
	c->verdict = PMIG_ERROR;
}

/*
 * What the case process journaled and did not undo itself (killed at its
 * time limit, say: a frame it poisoned) is undone now, from its records,
 * and said in its diagnostics; without this the run's journal would drop
 * those records at its end (pmig_journal_finish()). Nothing when no
 * journal was started or the caller does not own it.
 */
static void undo_left(pid_t pid, struct collector *c)
{
	char said[1024], line[1100];
	int n = pmig_journal_undo_child(pid, said, sizeof(said));

	if (n == 0)
		return;
	if (n > 0)
		snprintf(line, sizeof(line), "undone after the case: %s", said);
	else
		snprintf(line, sizeof(line),
			 "undoing what the case left failed: %s (%s)",
			 strerror(-n), said);
	text_add(&c->diag, "", line, strlen(line));
}

int pmig_sandbox_run(const struct pmig_sandbox *sb, pmig_sandbox_fn fn,
		     void *arg, struct pmig_sandbox_status *st)
{
	struct collector c = { .verdict = -1 };
	int rep[2], out[2], pidfd, wstatus = 0, ret = 0;
	bool rep_open = true, out_open = true, exited = false;
	double start = now(), deadline = start + sb->timeout_ms / 1000.0;
	pid_t pid, parent;

	memset(st, 0, sizeof(*st));
	if (pipe2(rep, O_CLOEXEC))
		return -errno;
	if (pipe2(out, O_CLOEXEC)) {
		ret = -errno;
		goto out_rep;
	}
	fflush(NULL);
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out_out;
	}
	if (pid == 0) {
		close(rep[0]);
		close(out[0]);
		child_main(sb, fn, arg, rep[1], out[1], parent);
	}
	setpgid(pid, pid);
	close(rep[1]);
	close(out[1]);
	rep[1] = out[1] = -1;
	pidfd = pidfd_of(pid);

	/* Read until the child has exited and both pipes are drained. */
	while (!exited || rep_open || out_open) {
		struct pollfd p[3] = {
			{ .fd = rep_open ? rep[0] : -1, .events = POLLIN },
			{ .fd = out_open ? out[0] : -1, .events = POLLIN },
			{ .fd = exited ? -1 : pidfd, .events = POLLIN },
		};
		int wait_ms = -1;

		if (sb->timeout_ms && !exited) {
			double left = deadline - now();

			wait_ms = left > 0 ? (int)(left * 1000) + 1 : 0;
		}
		if (exited)
			wait_ms =
				100; /* a grandchild may hold the pipes open */
		int n = poll(p, 3, wait_ms);

		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (n == 0 && exited)
			break;
		if (n == 0) {
			char msg[64];

			kill(-pid, SIGKILL);
			snprintf(msg, sizeof(msg), "timed out after %u ms",
				 sb->timeout_ms);
			free(c.reason);
			c.reason = strdup(msg);
			c.verdict = PMIG_ERROR;
			waitpid(pid, &wstatus, 0);
			exited = true;
			continue;
		}
		if (p[0].revents)
			rep_open =
				drain(rep[0], c.rep_part, &c.rep_len, &c, true);
		if (p[1].revents)
			out_open = drain(out[0], c.out_part, &c.out_len, &c,
					 false);
		if (p[2].revents || (pidfd < 0 && !rep_open)) {
			waitpid(pid, &wstatus, 0);
			exited = true;
		}
	}
	/* Leave nothing of the case behind. */
	kill(-pid, SIGKILL);
	if (!exited)
		waitpid(pid, &wstatus, 0);
	if (pidfd >= 0)
		close(pidfd);
	if (c.verdict < 0)
		describe_exit(wstatus, &c);
	undo_left(pid, &c);
	st->outcome = c.verdict;
	st->reason = c.reason;
	st->diag = c.diag.buf;
	st->duration = now() - start;
out_out:
	if (out[1] >= 0)
		close(out[1]);
	close(out[0]);
out_rep:
	if (rep[1] >= 0)
		close(rep[1]);
	close(rep[0]);
	return ret;
}

void pmig_sandbox_status_free(struct pmig_sandbox_status *st)
{
	free(st->reason);
	free(st->diag);
	st->reason = st->diag = NULL;
}
