/* procs.c - starts and ends the helper processes that cases point migration syscalls at. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pages.h"
#include "priv.h"
#include "procs.h"

/* PF_KTHREAD from include/linux/sched.h: the flags field of /proc/PID/stat. */
#define PMIG_PF_KTHREAD 0x00200000UL

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		done += (size_t)n;
	}
	return 0;
}

/*
 * Dies with @parent: the parent-death signal, then a check that the parent
 * did not die before it was set (the child would have been reparented and
 * never get it). A uid change clears the signal: call again after one.
 */
static void die_with(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
}

static _Noreturn void target_main(const struct pmig_target_opts *o, int ready,
				  int ctl, pid_t parent)
{
	struct pmig_pages pages;
	long err = 0;
	char c;

	die_with(parent);
	if (o->set_user) {
		err = pmig_priv_become_user(o->uid, o->gid);
		die_with(parent);
	}
	if (!err)
		err = prctl(PR_SET_DUMPABLE, o->dumpable ? 1 : 0) ? -errno : 0;
	if (!err)
		err = pmig_pages_create(&pages, PMIG_PAGE_ANON, 1, o->node,
					(uint64_t)getpid());
	if (write(ready, &err, sizeof(err)) < 0 ||
	    (!err && write(ready, &pages.base, sizeof(pages.base)) < 0))
		_exit(1);
	while (read(ctl, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int pmig_target_start(struct pmig_target *t, const struct pmig_target_opts *o)
{
	int ready[2], ctl[2];
	long err, child_err;
	pid_t parent = getpid();

	if (pipe(ready))
		return -errno;
	if (pipe(ctl)) {
		err = -errno;
		goto out_ready;
	}
	t->pid = fork();
	if (t->pid < 0) {
		err = -errno;
		close(ctl[0]);
		close(ctl[1]);
		goto out_ready;
	}
	if (t->pid == 0) {
		close(ready[0]);
		close(ctl[1]);
		target_main(o, ready[1], ctl[0], parent);
	}
	close(ctl[0]);
	t->ctl_fd = ctl[1];
	err = read_full(ready[0], &child_err, sizeof(child_err));
	if (!err)
		err = child_err;
	if (!err)
		err = read_full(ready[0], &t->page, sizeof(t->page));
	if (err)
		pmig_target_stop(t);
out_ready:
	close(ready[0]);
	close(ready[1]);
	return (int)err;
}

void pmig_target_stop(struct pmig_target *t)
{
	if (t->pid <= 0)
		return;
	close(t->ctl_fd);
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
	t->pid = 0;
}

/*
 * The fields of /proc/@pid/stat that follow "pid (comm) ", read into @buf,
 * or NULL when there is no such process. The command name may hold spaces
 * and parentheses: the fields start after the last ')'.
 */
static const char *stat_fields(const char *pid, char *buf, size_t len)
{
	char path[64], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p + 2 : NULL;
}

static char proc_state(pid_t pid)
{
	char id[16], buf[1024];
	const char *fields;

	snprintf(id, sizeof(id), "%d", (int)pid);
	fields = stat_fields(id, buf, sizeof(buf));
	return fields ? fields[0] : 0;
}

pid_t pmig_zombie_start(void)
{
	struct timespec tick = { 0, 1000000 };
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0);
	for (int i = 0; i < 10000; i++) {
		if (proc_state(pid) == 'Z')
			return pid;
		nanosleep(&tick, NULL);
	}
	pmig_zombie_reap(pid);
	return -ETIMEDOUT;
}

void pmig_zombie_reap(pid_t pid)
{
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static unsigned long stat_flags(const char *pid)
{
	char buf[1024];
	const char *fields = stat_fields(pid, buf, sizeof(buf));
	unsigned long flags;

	/* state ppid pgrp session tty_nr tpgid flags */
	if (!fields ||
	    sscanf(fields, "%*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return 0;
	return flags;
}

pid_t pmig_find_kthread(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = -ENOENT;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (stat_flags(e->d_name) & PMIG_PF_KTHREAD) {
			found = (pid_t)atoi(e->d_name);
			break;
		}
	}
	closedir(d);
	return found;
}

pid_t pmig_unused_pid(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	long max = 32768;

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 32768;
		fclose(f);
	}
	for (pid_t pid = (pid_t)max - 1; pid > 1; pid--)
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return pid;
	return -ESRCH;
}

pid_t pmig_sharer_start(const void *addr, size_t len, size_t page_size)
{
	int ready[2];
	pid_t pid, parent = getpid();
	char c = 0;

	if (pipe(ready))
		return -errno;
	pid = fork();
	if (pid < 0) {
		pid = -errno;
		goto out;
	}
	if (pid == 0) {
		die_with(parent);
		for (size_t off = 0; off < len; off += page_size)
			c ^= ((const volatile char *)addr)[off];
		if (write(ready[1], &c, 1) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read_full(ready[0], &c, 1)) {
		pmig_sharer_stop(pid);
		pid = -EPIPE;
	}
out:
	close(ready[0]);
	close(ready[1]);
	return pid;
}

void pmig_sharer_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
