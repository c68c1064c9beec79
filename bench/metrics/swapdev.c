/* swapdev.c - zram swap set up on demand and torn down on every exit path, touching only what it made. */
#include "swapdev.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "settings.h"
#include "sysfile.h"

#define ZRAM_CONTROL "/sys/class/zram-control"
/* Highest swap priority: pages go to our synchronous zram before any disk swap. */
#define SWAP_PRIO 32767

/*
 * What this process set up. Static with every path precomputed, because the
 * teardown runs in signal handlers, where neither malloc nor snprintf is safe.
 */
static struct {
	pid_t owner;
	pid_t hook_owner; /* registered teardown with pmig_settings_on_exit(); a child registers its own */
	bool loaded_module;
	bool hot_added;
	bool sized;
	bool swapped;
	int dev; /* -1: none chosen */
	/* Journal records, one per step of the undo: swapoff, reset, hot_remove. */
	pmig_jid jid_swap, jid_reset, jid_remove;
	char dev_path[32]; /* /dev/zramN */
	char reset_path[64]; /* /sys/block/zramN/reset */
	char dev_id[16]; /* N, for hot_remove */
} sw = { .dev = -1 };

static void say(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!why || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

static int read_ull(const char *path, unsigned long long *v)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (fscanf(f, "%llu", v) != 1)
		err = -EINVAL;
	fclose(f);
	return err;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * Runs a system tool with output discarded; returns its exit status, 127
 * when it was not found, or -errno when it could not be started. sbin is
 * tried first: a user shell's PATH often lacks it.
 */
static int run_tool(const char *name, const char *arg1, const char *arg2)
{
	static const char *const dirs[] = { "/usr/sbin/", "/sbin/", "/usr/bin/",
					    "/bin/" };
	char *argv[] = { (char *)name, (char *)arg1, (char *)arg2, NULL };
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		char path[256];
		size_t i;

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			snprintf(path, sizeof(path), "%s%s", dirs[i], name);
			execv(path, argv);
		}
		execvp(name, argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Frees KiB on active swap and the first device's name, from /proc/swaps. */
static int swap_free_kib(unsigned long long *free_kib, char *first, size_t flen)
{
	FILE *f = fopen("/proc/swaps", "re");
	char line[512], name[256], type[32];
	unsigned long long size, used;

	*free_kib = 0;
	if (first && flen)
		first[0] = '\0';
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %31s %llu %llu", name, type, &size,
			   &used) != 4)
			continue; /* the header */
		if (size > used)
			*free_kib += size - used;
		if (first && flen && !first[0])
			snprintf(first, flen, "%s", name);
	}
	fclose(f);
	return 0;
}

/* Async-signal-safe except the module unload, which only runs outside a handler (@sig 0). */
static void teardown(int sig)
{
	/* Each step has its own flag, so a setup that failed half-way is undone as far as it got. */
	if (sw.owner != getpid())
		return;
	if (sw.swapped && swapoff(sw.dev_path) == 0) {
		sw.swapped = false;
		pmig_journal_undone(sw.jid_swap);
		sw.jid_swap = 0;
	}
	if (sw.sized && pmig_sysfile_write(sw.reset_path, "1") == 0) {
		sw.sized = false;
		pmig_journal_undone(sw.jid_reset);
		sw.jid_reset = 0;
	}
	if (sw.hot_added &&
	    pmig_sysfile_write(ZRAM_CONTROL "/hot_remove", sw.dev_id) == 0) {
		sw.hot_added = false;
		pmig_journal_undone(sw.jid_remove);
		sw.jid_remove = 0;
	}
	if (sw.loaded_module && sig == 0 &&
	    run_tool("modprobe", "-r", "zram") == 0)
		sw.loaded_module = false;
	sw.dev = -1;
}

void pmig_swap_teardown(void)
{
	teardown(0);
}

static void use_device(int dev, bool hot_added)
{
	sw.dev = dev;
	sw.hot_added = hot_added;
	snprintf(sw.dev_path, sizeof(sw.dev_path), "/dev/zram%d", dev);
	snprintf(sw.reset_path, sizeof(sw.reset_path),
		 "/sys/block/zram%d/reset", dev);
	snprintf(sw.dev_id, sizeof(sw.dev_id), "%d", dev);
}

/* Picks the zram device to set up; see pmig_swap_ensure() for the order. */
static int pick_device(char *why, size_t whylen)
{
	unsigned long long v;
	int err;

	if (sw.loaded_module &&
	    read_ull("/sys/block/zram0/disksize", &v) == 0 && v == 0) {
		use_device(0, false);
		return 0;
	}
	if (exists(ZRAM_CONTROL "/hot_add")) {
		err = read_ull(ZRAM_CONTROL "/hot_add", &v);
		if (err) {
			say(why, whylen, "zram: reading %s/hot_add: %s",
			    ZRAM_CONTROL, strerror(-err));
			return err;
		}
		use_device((int)v, true);
		return 0;
	}
	if (read_ull("/sys/block/zram0/disksize", &v) == 0 && v == 0) {
		use_device(0, false);
		return 0;
	}
	say(why, whylen, "zram: zram0 is in use and there is no %s/hot_add",
	    ZRAM_CONTROL);
	return -EBUSY;
}

/* devtmpfs creates the node at once; udev may take a moment. */
static bool wait_for_node(const char *path)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 200; i++) {
		if (exists(path))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* A journal record of @kind (0: none); on error @why says so. */
static int note_undo(char kind, const char *a, const char *b, pmig_jid *jid,
		     char *why, size_t whylen)
{
	int err;

	*jid = 0;
	err = kind ? pmig_journal_note(kind, a, b, jid) : 0;

	if (err)
		say(why, whylen, "zram%d: writing the settings journal: %s",
		    sw.dev, strerror(-err));
	return err;
}

static int setup_zram(size_t bytes, char *why, size_t whylen)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long disksize;
	char path[64], num[32];
	int err, r;

	if (!exists(ZRAM_CONTROL) && !exists("/sys/block/zram0")) {
		r = run_tool("modprobe", "zram", NULL);
		if (r != 0 ||
		    (!exists(ZRAM_CONTROL) && !exists("/sys/block/zram0"))) {
			say(why, whylen,
			    r == 127 ? "no zram: modprobe not found" :
			    r < 0    ? "no zram: cannot run modprobe" :
				       "no zram: modprobe zram exited %d",
			    r);
			return -ENODEV;
		}
		sw.loaded_module = true;
	}
	err = pick_device(why, whylen);
	if (err)
		return err;
	/* One page more: the swap header takes the first. */
	disksize = ((unsigned long long)bytes + (unsigned long long)page - 1) /
			   (unsigned long long)page * (unsigned long long)page +
		   (unsigned long long)page;
	snprintf(path, sizeof(path), "/sys/block/zram%d/disksize", sw.dev);
	snprintf(num, sizeof(num), "%llu", disksize);
	/* Each step of the undo journaled before its part of the setup; replayed newest first. */
	err = note_undo(sw.hot_added ? PMIG_J_WRITE : 0,
			ZRAM_CONTROL "/hot_remove", sw.dev_id, &sw.jid_remove,
			why, whylen);
	if (!err)
		err = note_undo(PMIG_J_WRITE, sw.reset_path, "1", &sw.jid_reset,
				why, whylen);
	if (err)
		return err;
	sw.sized = true;
	err = pmig_sysfile_write(path, num);
	if (err) {
		say(why, whylen, "zram%d: writing disksize %llu: %s", sw.dev,
		    disksize, strerror(-err));
		return err;
	}
	if (!wait_for_node(sw.dev_path)) {
		say(why, whylen, "zram%d: no device node %s", sw.dev,
		    sw.dev_path);
		return -ENODEV;
	}
	r = run_tool("mkswap", sw.dev_path, NULL);
	if (r != 0) {
		say(why, whylen,
		    r == 127 ? "mkswap %s: mkswap not found" :
			       "mkswap %s failed (exit %d)",
		    sw.dev_path, r);
		return r < 0 ? r : -EIO;
	}
	if ((err = note_undo(PMIG_J_SWAP, sw.dev_path, NULL, &sw.jid_swap, why,
			     whylen)))
		return err;
	if (swapon(sw.dev_path,
		   SWAP_FLAG_PREFER | ((SWAP_PRIO << SWAP_FLAG_PRIO_SHIFT) &
				       SWAP_FLAG_PRIO_MASK)) < 0) {
		err = -errno;
		say(why, whylen, "swapon %s: %s", sw.dev_path, strerror(errno));
		/* Nothing to swap off: the record is done with. */
		pmig_journal_undone(sw.jid_swap);
		sw.jid_swap = 0;
		return err;
	}
	sw.swapped = true;
	say(why, whylen, "zram swap %s set up: %llu bytes, priority %d",
	    sw.dev_path, disksize - (unsigned long long)page, SWAP_PRIO);
	return 0;
}

int pmig_swap_ensure(size_t bytes, char *why, size_t whylen)
{
	unsigned long long free_kib;
	char first[256];
	int err;

	if (whylen && why)
		why[0] = '\0';
	if (!bytes) {
		say(why, whylen, "swap: asked for 0 bytes");
		return -EINVAL;
	}
	err = swap_free_kib(&free_kib, first, sizeof(first));
	if (err) {
		say(why, whylen, "reading /proc/swaps: %s", strerror(-err));
		return err;
	}
	if (free_kib * 1024 >= bytes) {
		say(why, whylen, "swap already active: %s, %llu KiB free",
		    first, free_kib);
		return 0;
	}
	if (sw.swapped) {
		say(why, whylen,
		    "zram swap %s from an earlier call is active, but only %llu KiB of swap are free",
		    sw.dev_path, free_kib);
		return -EBUSY;
	}
	if (geteuid() != 0) {
		say(why, whylen,
		    "%llu KiB of swap free, %zu bytes needed, and setting up zram needs root",
		    free_kib, bytes);
		return -EPERM;
	}
	if (sw.hook_owner != getpid()) {
		err = pmig_settings_on_exit(teardown);
		if (err) {
			say(why, whylen, "registering the swap teardown: %s",
			    strerror(-err));
			return err;
		}
		sw.hook_owner = getpid();
	}
	sw.owner = getpid();
	err = setup_zram(bytes, why, whylen);
	if (err)
		teardown(0);
	return err;
}
