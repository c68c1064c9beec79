/* undo.c - the primitive steps that put machine state back, shared by the journal's replay and the code that made each change. */
#include "undo.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <time.h>
#include <unistd.h>

#include "sysfile.h"

static void say(char *said, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *said, size_t len, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (!said || !len)
		return;
	used = strnlen(said, len);
	if (used + 3 >= len)
		return;
	if (used) {
		memcpy(said + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(said + used, len - used, fmt, ap);
	va_end(ap);
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int pmig_undo_restore(const char *path, const char *original, char *said,
		      size_t len)
{
	char now[PMIG_SYSFILE_VALUE_MAX];
	int err = pmig_sysfile_read(path, now, sizeof(now));

	if (err) {
		say(said, len, "cannot read %s to restore %s: %s", path,
		    original, strerror(-err));
		return err;
	}
	if (!strcmp(now, original))
		return 0;
	err = pmig_sysfile_write(path, original);
	if (err) {
		say(said, len, "cannot write %s back to %s (it holds %s): %s",
		    path, original, now, strerror(-err));
		return err;
	}
	say(said, len, "%s %s (was %s)", path, original, now);
	return 1;
}

int pmig_undo_write(const char *path, const char *value, char *said, size_t len)
{
	int err;

	if (access(path, F_OK))
		return 0;
	err = pmig_sysfile_write(path, value);
	if (err) {
		say(said, len, "cannot write %s to %s: %s", value, path,
		    strerror(-err));
		return err;
	}
	say(said, len, "%s written to %s", value, path);
	return 1;
}

int pmig_undo_drop_word(const char *path, const char *word, char *said,
			size_t len)
{
	char list[PMIG_SYSFILE_VALUE_MAX], minus[64];
	int err;

	if (pmig_sysfile_read(path, list, sizeof(list)) ||
	    !pmig_word_in(list, word, " "))
		return 0;
	snprintf(minus, sizeof(minus), "-%s", word);
	err = pmig_sysfile_write(path, minus);
	if (err) {
		say(said, len, "cannot take %s out of %s: %s", word, path,
		    strerror(-err));
		return err;
	}
	say(said, len, "%s out of %s", word, path);
	return 1;
}

/* SIGKILLs everything in cgroup @dir (cgroup.kill where the kernel has it, 5.14+). */
static void kill_members(const char *dir)
{
	char path[320], line[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.kill", dir);
	pmig_sysfile_write(path, "1");
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		kill((pid_t)atoi(line), SIGKILL);
	fclose(f);
}

int pmig_undo_cgroup_rmdir(const char *dir, char *said, size_t len)
{
	int err;

	if (access(dir, F_OK)) {
		if ((err = errno) == ENOENT)
			return 0;
		say(said, len, "cannot remove cgroup %s: %s", dir,
		    strerror(err));
		return -err;
	}
	/* Dying members leave the cgroup a moment after their files are closed. */
	for (int i = 0; i < 1000; i++) {
		if (!rmdir(dir) || errno == ENOENT) {
			say(said, len, "cgroup %s removed", dir);
			return 1;
		}
		if (errno != EBUSY)
			break;
		kill_members(dir);
		pause_ms(10);
	}
	err = errno;
	say(said, len, "cannot remove cgroup %s: %s", dir, strerror(err));
	return -err;
}

/* Whether a file system of @fstype ("" any) is mounted at @target. */
static bool mounted_at(const char *target, const char *fstype)
{
	char *line = NULL, dir[256], type[64];
	size_t cap = 0;
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		const char *sep = strstr(line, " - ");

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - TYPE SOURCE SUPEROPTIONS */
		found = sep &&
			sscanf(line, "%*s %*s %*s %*s %255s", dir) == 1 &&
			sscanf(sep + 3, "%63s", type) == 1 &&
			!strcmp(dir, target) &&
			(!*fstype || !strcmp(type, fstype));
	}
	free(line);
	fclose(f);
	return found;
}

int pmig_undo_unmount(const char *target, const char *fstype, char *said,
		      size_t len)
{
	int err = 0;

	if (!mounted_at(target, fstype))
		return 0;
	for (int i = 0; i < 100; i++) {
		if (!umount2(target, 0) || errno == EINVAL || errno == ENOENT)
			goto done;
		if ((err = errno) != EBUSY)
			break;
		pause_ms(10);
	}
	if (err == EBUSY && !umount2(target, MNT_DETACH))
		goto done;
	err = errno;
	say(said, len, "cannot unmount %s at %s: %s", *fstype ? fstype : "",
	    target, strerror(err));
	return -err;
done:
	say(said, len, "%s at %s unmounted", *fstype ? fstype : "mount",
	    target);
	return 1;
}

int pmig_undo_swapoff(const char *device, char *said, size_t len)
{
	int err;

	if (!swapoff(device)) {
		say(said, len, "swap %s off", device);
		return 1;
	}
	/* EINVAL: not swapped on; ENOENT: no such device (any more). */
	if ((err = errno) == EINVAL || err == ENOENT)
		return 0;
	say(said, len, "cannot swapoff %s: %s", device, strerror(err));
	return -err;
}
