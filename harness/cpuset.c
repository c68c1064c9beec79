/* cpuset.c - sets up and tears down the cgroup v2 cpusets cases confine processes to. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpuset.h"
#include "journal.h"
#include "sysfile.h"
#include "undo.h"

/* Where cgroup2 goes when nothing is mounted (the guest has no cgroup mount). */
#define DEFAULT_ROOT "/sys/fs/cgroup"
/*
 * Every cpuset setup and every janitor hold an exclusive flock on this
 * directory, which exists wherever sysfs does whatever is mounted below it.
 */
#define LOCK_PATH "/sys/fs"

/* Records the creator sends the janitor before each change. */
#define REC_MOUNT 'M'
#define REC_ENABLE 'E'
#define REC_ENABLE_MEMORY 'm'
#define REC_DIR 'D'
#define REC_REMOVE 'R'

/* The janitor's exit status: what it could not undo. */
#define UNDO_DIR 1
#define UNDO_ENABLE 2
#define UNDO_MOUNT 4
#define UNDO_ENABLE_MEMORY 8

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int format(char *buf, size_t len, const char *fmt, const char *a,
		  const char *b)
{
	int n = snprintf(buf, len, fmt, a, b);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* nr_dying_descendants of the cgroup2 root, or -1. */
static long dying(const char *root)
{
	char path[256], text[512], *at;

	if (format(path, sizeof(path), "%s/%s", root, "cgroup.stat") ||
	    pmig_sysfile_read(path, text, sizeof(text)))
		return -1;
	at = strstr(text, "nr_dying_descendants ");
	return at ? atol(at + strlen("nr_dying_descendants ")) : -1;
}

/*
 * A removed cpuset goes offline later, from a kworker, and the last one
 * going offline flips the cpusets_enabled() static key, patching the page
 * allocator's code. Waiting for it here (its cgroup has stopped dying)
 * makes that happen while the case is over and the runner waits in
 * pmig_cpuset_settle(); under QEMU TCG, code running on another CPU while
 * it is patched has been seen to die of a stray int3.
 */
static void wait_released(const char *root, long before)
{
	for (int i = 0; i < 500 && before >= 0 && dying(root) > before; i++)
		pause_ms(10);
}

static _Noreturn void janitor_main(const struct pmig_cpuset *cs, int rec)
{
	static const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				       SIGPIPE };
	unsigned changed = 0, failed = 0;
	long before = -1;
	char path[256], c;
	ssize_t n;

	/* Out of the case's process group: the runner kills that at a timeout. */
	setpgid(0, 0);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);
	/* Hold no end of the case's report and output pipes: the runner reads them to EOF. */
	for (int fd = 0; fd < 1024; fd++)
		if (fd != rec && fd != cs->lock_fd)
			close(fd);
	/* EOF: the creator and all it forked since are gone. */
	while ((n = read(rec, &c, 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || c == REC_REMOVE)
			break;
		if (c == REC_DIR)
			before = dying(cs->root);
		changed |= c == REC_DIR		  ? UNDO_DIR :
			   c == REC_ENABLE	  ? UNDO_ENABLE :
			   c == REC_ENABLE_MEMORY ? UNDO_ENABLE_MEMORY :
			   c == REC_MOUNT	  ? UNDO_MOUNT :
						    0;
	}
	if ((changed & UNDO_DIR) &&
	    pmig_undo_cgroup_rmdir(cs->path, NULL, 0) < 0)
		failed |= UNDO_DIR;
	else if (changed & UNDO_DIR)
		wait_released(cs->root, before);
	format(path, sizeof(path), "%s/%s", cs->root, "cgroup.subtree_control");
	if ((changed & UNDO_ENABLE) &&
	    pmig_undo_drop_word(path, "cpuset", NULL, 0) < 0)
		failed |= UNDO_ENABLE;
	if ((changed & UNDO_ENABLE_MEMORY) &&
	    pmig_undo_drop_word(path, "memory", NULL, 0) < 0)
		failed |= UNDO_ENABLE_MEMORY;
	if ((changed & UNDO_MOUNT) &&
	    pmig_undo_unmount(cs->root, "cgroup2", NULL, 0) < 0)
		failed |= UNDO_MOUNT;
	_exit((int)failed);
}

static int start_janitor(struct pmig_cpuset *cs)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	cs->janitor = fork();
	if (cs->janitor < 0) {
		int err = -errno;

		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (cs->janitor == 0)
		janitor_main(cs, sv[1]);
	/*
	 * Out of the group before anything changes, whoever of the two runs
	 * first: a kill of the group in between only takes a janitor with
	 * nothing to do yet.
	 */
	if (setpgid(cs->janitor, cs->janitor)) {
		int err = -errno;

		close(sv[0]);
		close(sv[1]);
		kill(cs->janitor, SIGKILL);
		waitpid(cs->janitor, NULL, 0);
		cs->janitor = 0;
		return err;
	}
	close(sv[1]);
	cs->record_fd = sv[0];
	return 0;
}

/* Tells the janitor what is about to change; a send error means no cleanup, so no change. */
static int record(struct pmig_cpuset *cs, char c)
{
	ssize_t n;

	while ((n = send(cs->record_fd, &c, 1, MSG_NOSIGNAL)) < 0 &&
	       errno == EINTR)
		;
	return n == 1 ? 0 : -EPIPE;
}

struct mounts {
	char cgroup2[128]; /* first cgroup2 mount point, or "" */
	char v1_cpuset[128]; /* a cgroup v1 hierarchy with cpuset, or "" */
	char taken[64]; /* fs type mounted at DEFAULT_ROOT, or "" */
};

static void scan_mounts(struct mounts *m)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	memset(m, 0, sizeof(*m));
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char dir[128], type[64], source[256], opts[512] = "";
		const char *sep = strstr(line, " - ");

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - TYPE SOURCE SUPEROPTIONS */
		if (!sep || sscanf(line, "%*s %*s %*s %*s %127s", dir) != 1 ||
		    sscanf(sep + 3, "%63s %255s %511s", type, source, opts) < 2)
			continue;
		if (!strcmp(type, "cgroup2") && !m->cgroup2[0])
			snprintf(m->cgroup2, sizeof(m->cgroup2), "%s", dir);
		if (!strcmp(type, "cgroup") &&
		    pmig_word_in(opts, "cpuset", ","))
			snprintf(m->v1_cpuset, sizeof(m->v1_cpuset), "%s", dir);
		if (!strcmp(dir, DEFAULT_ROOT))
			snprintf(m->taken, sizeof(m->taken), "%s", type);
	}
	free(line);
	fclose(f);
}

int pmig_cgroup2_where(char *root, size_t len, char *why, size_t wlen)
{
	struct mounts m;

	scan_mounts(&m);
	if (m.cgroup2[0]) {
		snprintf(root, len, "%s", m.cgroup2);
		return 0;
	}
	if (m.taken[0] || access(DEFAULT_ROOT, F_OK)) {
		snprintf(
			why, wlen,
			m.taken[0] ?
				"no cgroup2 is mounted and %s holds a %s mount" :
				"no cgroup2 is mounted and there is no %s%s to mount it on",
			DEFAULT_ROOT, m.taken);
		return 1;
	}
	snprintf(root, len, "%s", DEFAULT_ROOT);
	return 2;
}

int pmig_cgroup2_mount(pmig_jid *jid, char *why, size_t len)
{
	int err = pmig_journal_note(PMIG_J_MOUNT, DEFAULT_ROOT, "cgroup2", jid);

	if (err) {
		snprintf(why, len, "cannot write the settings journal: %s",
			 strerror(-err));
		return err;
	}
	if (mount("pmig", DEFAULT_ROOT, "cgroup2",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		snprintf(why, len, "cannot mount cgroup2 at %s: %s%s",
			 DEFAULT_ROOT, strerror(errno),
			 errno == ENODEV ? " (the kernel has no cgroup2)" : "");
		return 1;
	}
	return 0;
}

void pmig_cgroup_own(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/self/cgroup", "re");

	snprintf(buf, len, "/");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", line + 3);
		}
	fclose(f);
}

/* +memory in the root's subtree_control, recorded first; 0, 1 (unavailable) or -errno, @why set. */
static int enable_memory(struct pmig_cpuset *cs, char *why, size_t len)
{
	char path[256], list[512];
	int err;

	format(path, sizeof(path), "%s/%s", cs->root, "cgroup.controllers");
	if ((err = pmig_sysfile_read(path, list, sizeof(list)))) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
		return 1;
	}
	if (!pmig_word_in(list, "memory", " ")) {
		snprintf(why, len,
			 "the memory controller is not in %s (it offers: %s)",
			 path, list[0] ? list : "nothing");
		return 1;
	}
	format(path, sizeof(path), "%s/%s", cs->root, "cgroup.subtree_control");
	if ((err = pmig_sysfile_read(path, list, sizeof(list)))) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
		return 1;
	}
	if (pmig_word_in(list, "memory", " "))
		return 0;
	if ((err = record(cs, REC_ENABLE_MEMORY))) {
		snprintf(why, len, "the cleanup process is gone: %s",
			 strerror(-err));
		return err;
	}
	if ((err = pmig_journal_note(PMIG_J_DROP_WORD, path, "memory",
				     &cs->jids[3]))) {
		snprintf(why, len, "cannot write the settings journal: %s",
			 strerror(-err));
		return err;
	}
	if ((err = pmig_sysfile_write(path, "+memory"))) {
		snprintf(why, len, "cannot write +memory to %s: %s", path,
			 strerror(-err));
		return 1;
	}
	return 0;
}

/* Everything after the janitor exists; 0, 1 (unavailable) or -errno, @why set. */
static int build(struct pmig_cpuset *cs, const struct mounts *m, bool mount_it,
		 const char *mems, char *why, size_t len)
{
	char path[256], list[512], cpus[256];
	int err;

	if (mount_it) {
		if ((err = record(cs, REC_MOUNT)))
			goto no_janitor;
		if ((err = pmig_cgroup2_mount(&cs->jids[0], why, len)))
			return err;
	}
	format(path, sizeof(path), "%s/%s", cs->root, "cgroup.controllers");
	if ((err = pmig_sysfile_read(path, list, sizeof(list)))) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
		return 1;
	}
	if (!pmig_word_in(list, "cpuset", " ")) {
		snprintf(
			why, len,
			"the cpuset controller is not in %s (it offers: %s)%s%s",
			path, list[0] ? list : "nothing",
			m->v1_cpuset[0] ?
				"; a cgroup v1 hierarchy holds it at " :
				"",
			m->v1_cpuset);
		return 1;
	}
	format(path, sizeof(path), "%s/%s", cs->root, "cgroup.subtree_control");
	if ((err = pmig_sysfile_read(path, list, sizeof(list)))) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
		return 1;
	}
	if (!pmig_word_in(list, "cpuset", " ")) {
		if ((err = record(cs, REC_ENABLE)))
			goto no_janitor;
		if ((err = pmig_journal_note(PMIG_J_DROP_WORD, path, "cpuset",
					     &cs->jids[1])))
			goto no_journal;
		if ((err = pmig_sysfile_write(path, "+cpuset"))) {
			snprintf(why, len, "cannot write +cpuset to %s: %s",
				 path, strerror(-err));
			return 1;
		}
	}
	if (cs->memory) {
		err = enable_memory(cs, why, len);
		if (err)
			return err;
	}
	format(path, sizeof(path), "%s/%s", cs->root, "cpuset.cpus.effective");
	if (pmig_sysfile_read(path, cpus, sizeof(cpus)) &&
	    (err = pmig_sysfile_read("/sys/devices/system/cpu/online", cpus,
				     sizeof(cpus)))) {
		snprintf(why, len, "cannot learn the online CPUs: %s",
			 strerror(-err));
		return err;
	}
	if ((err = record(cs, REC_DIR)))
		goto no_janitor;
	if ((err = pmig_journal_note(PMIG_J_CGROUP, cs->path, NULL,
				     &cs->jids[2])))
		goto no_journal;
	if (mkdir(cs->path, 0755)) {
		err = -errno;
		snprintf(why, len, "mkdir %s: %s", cs->path, strerror(errno));
		return err;
	}
	format(path, sizeof(path), "%s/%s", cs->path, "cpuset.cpus");
	if ((err = pmig_sysfile_write(path, cpus))) {
		snprintf(why, len, "cannot write %s to %s: %s", cpus, path,
			 strerror(-err));
		return err;
	}
	if ((err = pmig_cpuset_set_mems(cs, mems))) {
		snprintf(why, len, "cannot write %s to %s/cpuset.mems: %s",
			 mems, cs->path, strerror(-err));
		return err;
	}
	return 0;
no_janitor:
	snprintf(why, len, "the cleanup process is gone: %s", strerror(-err));
	return err;
no_journal:
	snprintf(why, len, "cannot write the settings journal: %s",
		 strerror(-err));
	return err;
}

static int create(struct pmig_cpuset *cs, const char *mems, bool memory,
		  char *why, size_t len)
{
	struct mounts m;
	bool mount_it = false;
	char ignored[128];
	int err;

	memset(cs, 0, sizeof(*cs));
	cs->memory = memory;
	cs->record_fd = -1;
	cs->lock_fd = open(LOCK_PATH, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cs->lock_fd < 0) {
		snprintf(why, len, "cannot open %s (is sysfs mounted?): %s",
			 LOCK_PATH, strerror(errno));
		return 1;
	}
	while (flock(cs->lock_fd, LOCK_EX) < 0 && errno == EINTR)
		;
	scan_mounts(&m);
	err = pmig_cgroup2_where(cs->root, sizeof(cs->root), why, len);
	if (err == 1) {
		close(cs->lock_fd);
		return 1;
	}
	mount_it = err == 2;
	pmig_cgroup_own(cs->home, sizeof(cs->home));
	snprintf(cs->path, sizeof(cs->path), "%s/pmig-%d", cs->root,
		 (int)getpid());
	if ((err = start_janitor(cs))) {
		snprintf(why, len, "cannot fork the cleanup process: %s",
			 strerror(-err));
		close(cs->lock_fd);
		return err;
	}
	err = build(cs, &m, mount_it, mems, why, len);
	if (err)
		pmig_cpuset_remove(cs, ignored, sizeof(ignored));
	return err;
}

int pmig_cpuset_create(struct pmig_cpuset *cs, const char *mems, char *why,
		       size_t len)
{
	return create(cs, mems, false, why, len);
}

int pmig_cpuset_create_memory(struct pmig_cpuset *cs, const char *mems,
			      char *why, size_t len)
{
	return create(cs, mems, true, why, len);
}

int pmig_cpuset_set_mems(struct pmig_cpuset *cs, const char *mems)
{
	char path[256];
	int err = format(path, sizeof(path), "%s/%s", cs->path, "cpuset.mems");

	return err ? err : pmig_sysfile_write(path, mems);
}

int pmig_cpuset_move(struct pmig_cpuset *cs, pid_t pid)
{
	char path[256], text[16];
	int err = format(path, sizeof(path), "%s/%s", cs->path, "cgroup.procs");

	snprintf(text, sizeof(text), "%d", (int)(pid ? pid : getpid()));
	if (!err)
		err = pmig_sysfile_write(path, text);
	if (!err && !pid)
		cs->entered = true;
	return err;
}

int pmig_cpuset_remove(struct pmig_cpuset *cs, char *why, size_t len)
{
	char path[448], text[16];
	int status = 0, failed;

	if (cs->janitor <= 0)
		return 0;
	/* The janitor kills whatever is still inside: leave first. */
	if (cs->entered) {
		snprintf(path, sizeof(path), "%s%s%s", cs->root,
			 strcmp(cs->home, "/") ? cs->home : "",
			 "/cgroup.procs");
		snprintf(text, sizeof(text), "%d", (int)getpid());
		pmig_sysfile_write(path, text);
		cs->entered = false;
	}
	record(cs, REC_REMOVE);
	close(cs->record_fd);
	while (waitpid(cs->janitor, &status, 0) < 0 && errno == EINTR)
		;
	close(cs->lock_fd);
	cs->janitor = 0;
	failed = WIFEXITED(status) ? WEXITSTATUS(status) :
				     UNDO_DIR | UNDO_ENABLE |
					     UNDO_ENABLE_MEMORY | UNDO_MOUNT;
	if (!(failed & UNDO_DIR))
		pmig_journal_undone(cs->jids[2]);
	if (!(failed & UNDO_ENABLE))
		pmig_journal_undone(cs->jids[1]);
	if (!(failed & UNDO_ENABLE_MEMORY))
		pmig_journal_undone(cs->jids[3]);
	if (!(failed & UNDO_MOUNT))
		pmig_journal_undone(cs->jids[0]);
	memset(cs->jids, 0, sizeof(cs->jids));
	if (!failed)
		return 0;
	snprintf(why, len, "could not undo:%s%s%s%s%s%s%s",
		 failed & UNDO_DIR ? " rmdir " : "",
		 failed & UNDO_DIR ? cs->path : "",
		 failed & UNDO_ENABLE ? " -cpuset in subtree_control of " : "",
		 failed & UNDO_ENABLE ? cs->root : "",
		 failed & UNDO_ENABLE_MEMORY ?
			 " -memory in subtree_control of " :
			 "",
		 failed & UNDO_ENABLE_MEMORY ? cs->root : "",
		 failed & UNDO_MOUNT ? " umount" : "");
	return -EBUSY;
}

void pmig_cpuset_settle(void)
{
	int fd = open(LOCK_PATH, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	close(fd);
}
