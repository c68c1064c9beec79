/* journal.c - writes, reads and undoes the journal of machine-wide changes; the one-run-per-machine lock. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "undo.h"

/* A record's fields, escaped, fit here: paths and values are short. */
#define REC_MAX 4096

static int j_fd = -1;
static pid_t j_owner;
static unsigned j_seq;
/* Records the owner wrote and has not undone; signal handlers read it. */
static volatile sig_atomic_t j_pending;

int pmig_proc_start(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ESRCH;
	buf[n] = '\0';
	/* The command name may hold spaces and ')': the fields follow the last one. */
	p = strrchr(buf, ')');
	/* state is field 3; starttime field 22, the 20th after the name. */
	if (!p ||
	    sscanf(p + 1,
		   " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   start) != 1)
		return -EINVAL;
	return 0;
}

bool pmig_run_alive(const struct pmig_run_id *id)
{
	unsigned long long start;

	if (id->pid <= 0 || pmig_proc_start(id->pid, &start))
		return false;
	return start == id->start;
}

/* Async-signal-safe decimal. */
static size_t put_num(char *at, unsigned long long v)
{
	char tmp[24];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (i = 0; i < n; i++)
		at[i] = tmp[n - 1 - i];
	return n;
}

static size_t put_id(char *at, pmig_jid id)
{
	size_t n = put_num(at, id >> 32);

	at[n++] = '.';
	return n + put_num(at + n, id & 0xffffffffu);
}

/* A field: '=' then the bytes, with space, control bytes, '%' and non-ASCII as %XX. */
static size_t put_field(char *at, size_t room, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	at[n++] = ' ';
	at[n++] = '=';
	for (; s && *s && n + 4 < room; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '%' || c >= 0x7f) {
			at[n++] = '%';
			at[n++] = hex[c >> 4];
			at[n++] = hex[c & 15];
		} else {
			at[n++] = (char)c;
		}
	}
	return n;
}

/* One write and an fsync: a record is on disk before the change it describes. */
static int append(const char *rec, size_t len)
{
	ssize_t n;

	do
		n = write(j_fd, rec, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return fsync(j_fd) ? -errno : 0;
}

int pmig_journal_note(char kind, const char *a, const char *b, pmig_jid *id)
{
	char rec[REC_MAX];
	size_t n = 0;
	pid_t self = getpid();
	int err;

	*id = 0;
	if (j_fd < 0)
		return 0;
	if ((a && strlen(a) > REC_MAX / 8) || (b && strlen(b) > REC_MAX / 8))
		return -ENAMETOOLONG;
	*id = (pmig_jid)self << 32 | ++j_seq;
	rec[n++] = kind;
	rec[n++] = ' ';
	n += put_id(rec + n, *id);
	n += put_field(rec + n, REC_MAX / 2, a);
	n += put_field(rec + n, REC_MAX / 2, b);
	rec[n++] = '\n';
	err = append(rec, n);
	if (err)
		*id = 0;
	else if (self == j_owner)
		j_pending = j_pending + 1;
	return err;
}

void pmig_journal_undone(pmig_jid id)
{
	char rec[64];
	size_t n = 0;

	if (j_fd < 0 || !id)
		return;
	rec[n++] = 'R';
	rec[n++] = ' ';
	n += put_id(rec + n, id);
	rec[n++] = '\n';
	if (!append(rec, n) && (pid_t)(id >> 32) == j_owner &&
	    getpid() == j_owner)
		j_pending = j_pending - 1;
}

int pmig_journal_share(void)
{
	return j_fd < 0 ? -1 : dup(j_fd);
}

void pmig_journal_join(int fd, pid_t owner)
{
	j_fd = fd;
	j_owner = owner;
	j_pending = 0;
}

void pmig_journal_finish(void)
{
	if (j_fd < 0 || getpid() != j_owner || j_pending > 0)
		return;
	if (!ftruncate(j_fd, 0))
		fsync(j_fd);
}

int pmig_journal_start(const char *path)
{
	char rec[128];
	struct pmig_run_id me = { .pid = getpid(), .wall = time(NULL) };
	int fd, err, n;

	err = pmig_proc_start(me.pid, &me.start);
	if (err)
		return err;
	/* Readable too: pmig_journal_undo_child() reads what a child wrote. */
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, 0)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (j_fd >= 0)
		close(j_fd);
	j_fd = fd;
	j_owner = me.pid;
	j_pending = 0;
	n = snprintf(rec, sizeof(rec), "P %d %llu %lld\n", (int)me.pid,
		     me.start, me.wall);
	return append(rec, (size_t)n);
}

static int unhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 :
				      -1;
}

/* Decodes a field ("=..." up to a space or the end) in place; NULL when it is not one. */
static char *field(char **cur)
{
	char *s = *cur, *out, *in;

	if (*s != '=')
		return NULL;
	in = out = ++s;
	while (*in && *in != ' ') {
		if (*in == '%') {
			int hi = unhex(in[1]), lo = hi < 0 ? -1 : unhex(in[2]);

			if (lo < 0)
				return NULL;
			*out++ = (char)(hi << 4 | lo);
			in += 3;
		} else {
			*out++ = *in++;
		}
	}
	*cur = *in ? in + 1 : in;
	*out = '\0';
	return s;
}

static bool parse_id(char **cur, pmig_jid *id)
{
	unsigned long pid, seq;
	int used;

	if (sscanf(*cur, "%lu.%lu%n", &pid, &seq, &used) != 2 || !seq ||
	    ((*cur)[used] != ' ' && (*cur)[used] != '\0'))
		return false;
	*id = (pmig_jid)pid << 32 | seq;
	*cur += used + ((*cur)[used] == ' ');
	return true;
}

static void mark_undone(struct pmig_journal *j, pmig_jid id)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->e[i].id == id)
			j->e[i].undone = true;
}

/* One line, without its newline; false when it is not a whole record. */
static bool parse_line(char *line, struct pmig_journal *j, bool *oom)
{
	struct pmig_jentry e = { .kind = line[0] };
	char *cur = line + 2, *a, *b;
	struct pmig_jentry *grown;
	int pid, used = 0;

	if (!line[0] || line[1] != ' ')
		return false;
	if (e.kind == 'P') {
		if (sscanf(cur, "%d %llu %lld%n", &pid, &j->owner.start,
			   &j->owner.wall, &used) != 3 ||
		    cur[used])
			return false;
		j->owner.pid = pid;
		j->has_owner = true;
		return true;
	}
	if (!parse_id(&cur, &e.id))
		return false;
	if (e.kind == 'R') {
		if (*cur)
			return false;
		mark_undone(j, e.id);
		return true;
	}
	if (!strchr(PMIG_J_KINDS, e.kind) || !(a = field(&cur)) ||
	    !(b = field(&cur)) || *cur)
		return false;
	e.a = strdup(a);
	e.b = strdup(b);
	grown = realloc(j->e, (j->n + 1) * sizeof(*j->e));
	if (!e.a || !e.b || !grown) {
		free(e.a);
		free(e.b);
		if (grown)
			j->e = grown;
		*oom = true;
		return false;
	}
	j->e = grown;
	j->e[j->n++] = e;
	return true;
}

int pmig_journal_parse(const char *text, size_t len, struct pmig_journal *j)
{
	const char *at = text, *end = text + len;
	bool oom = false;

	memset(j, 0, sizeof(*j));
	while (at < end && !oom) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		char *line;

		/* No newline: the record a crash tore; a record never ends without one. */
		if (!nl)
			break;
		line = strndup(at, (size_t)(nl - at));
		if (!line) {
			oom = true;
			break;
		}
		/* A line holding a NUL was torn and then padded: strlen tells. */
		if (strlen(line) == (size_t)(nl - at))
			parse_line(line, j, &oom);
		free(line);
		at = nl + 1;
	}
	if (oom) {
		pmig_journal_free(j);
		return -ENOMEM;
	}
	return 0;
}

void pmig_journal_free(struct pmig_journal *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->e[i].a);
		free(j->e[i].b);
	}
	free(j->e);
	memset(j, 0, sizeof(*j));
}

/* Replays one record's step; the record holds all the step needs. */
static int undo_one(const struct pmig_jentry *e, char *said, size_t len)
{
	switch (e->kind) {
	case PMIG_J_SETTING:
		return pmig_undo_restore(e->a, e->b, said, len);
	case PMIG_J_WRITE:
		return pmig_undo_write(e->a, e->b, said, len);
	case PMIG_J_DROP_WORD:
		return pmig_undo_drop_word(e->a, e->b, said, len);
	case PMIG_J_CGROUP:
		return pmig_undo_cgroup_rmdir(e->a, said, len);
	case PMIG_J_MOUNT:
		return pmig_undo_unmount(e->a, e->b, said, len);
	case PMIG_J_SWAP:
		return pmig_undo_swapoff(e->a, said, len);
	}
	return 0;
}

int pmig_journal_undo(const struct pmig_journal *j, char *said, size_t len)
{
	int changed = 0, first_err = 0;

	if (len)
		said[0] = '\0';
	/* Newest first: a path saved twice ends with its oldest value, the original. */
	for (size_t i = j->n; i-- > 0;) {
		int r;

		if (j->e[i].undone)
			continue;
		r = undo_one(&j->e[i], said, len);
		if (r < 0 && !first_err)
			first_err = r;
		else if (r > 0)
			changed++;
	}
	return first_err ? first_err : changed;
}

static int read_all(int fd, char **text, size_t *len)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		return -errno;
	*text = malloc((size_t)st.st_size + 1);
	if (!*text)
		return -ENOMEM;
	n = pread(fd, *text, (size_t)st.st_size, 0);
	if (n < 0) {
		free(*text);
		return -errno;
	}
	*len = (size_t)n;
	return 0;
}

int pmig_journal_recover(const char *path, struct pmig_run_id *was, char *said,
			 size_t len)
{
	struct pmig_journal j;
	char *text = NULL;
	size_t tlen = 0;
	int fd, r;

	memset(was, 0, sizeof(*was));
	if (len)
		said[0] = '\0';
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = read_all(fd, &text, &tlen);
	if (!r) {
		r = pmig_journal_parse(text, tlen, &j);
		free(text);
	}
	if (r) {
		close(fd);
		return r;
	}
	*was = j.owner;
	if (j.has_owner && j.owner.pid != getpid() && pmig_run_alive(&j.owner))
		r = -EBUSY;
	else
		r = pmig_journal_undo(&j, said, len);
	pmig_journal_free(&j);
	/* Emptied even when an undo failed: @said names it, and a retry would fail the same way. */
	if (r != -EBUSY && !ftruncate(fd, 0))
		fsync(fd);
	close(fd);
	return r;
}

int pmig_journal_undo_child(pid_t pid, char *said, size_t len)
{
	struct pmig_journal j, child = { 0 };
	char *text = NULL;
	size_t tlen = 0;
	int r;

	if (len)
		said[0] = '\0';
	if (j_fd < 0 || getpid() != j_owner || pid <= 0)
		return 0;
	r = read_all(j_fd, &text, &tlen);
	if (!r) {
		r = pmig_journal_parse(text, tlen, &j);
		free(text);
	}
	if (r)
		return r;
	child.e = calloc(j.n ? j.n : 1, sizeof(*child.e));
	if (!child.e) {
		pmig_journal_free(&j);
		return -ENOMEM;
	}
	/* The child's records still standing, in their order: undone newest first. */
	for (size_t i = 0; i < j.n; i++)
		if ((pid_t)(j.e[i].id >> 32) == pid && !j.e[i].undone)
			child.e[child.n++] = j.e[i];
	r = pmig_journal_undo(&child, said, len);
	for (size_t i = 0; i < child.n; i++)
		pmig_journal_undone(child.e[i].id);
	free(child.e); /* the entries' strings are j's */
	pmig_journal_free(&j);
	return r;
}

const char *pmig_run_dir(void)
{
	const char *dir = getenv("PMIG_RUN_DIR");

	return dir && *dir ? dir : PMIG_RUN_DIR;
}

/* mkdir -p: the guest's initramfs may have no /run. */
static int make_dirs(const char *dir)
{
	char path[256];
	size_t len = strlen(dir);

	if (len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = c;
		if (!c)
			return 0;
	}
}

static void read_holder(int fd, struct pmig_run_id *h)
{
	char buf[128];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int pid;

	memset(h, 0, sizeof(*h));
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "%d %llu %lld", &pid, &h->start, &h->wall) == 3)
		h->pid = pid;
}

int pmig_runlock_take(const char *dir, bool wait, int *fd,
		      struct pmig_run_id *holder)
{
	char path[300], rec[128];
	struct pmig_run_id me = { .pid = getpid() };
	int err, n, lfd;

	if ((err = make_dirs(dir)))
		return err;
	snprintf(path, sizeof(path), "%s/lock", dir);
	lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0)
		return -errno;
	while ((err = flock(lfd, wait ? LOCK_EX : LOCK_EX | LOCK_NB)) &&
	       errno == EINTR)
		;
	if (err) {
		err = -errno;
		/* The holder writes its id just after it locks: give it a moment. */
		for (int i = 0; i < 50 && holder; i++) {
			struct timespec ms = { 0, 1000000 };

			read_holder(lfd, holder);
			if (holder->pid)
				break;
			nanosleep(&ms, NULL);
		}
		close(lfd);
		return err == -EAGAIN ? -EWOULDBLOCK : err;
	}
	pmig_proc_start(me.pid, &me.start);
	me.wall = time(NULL);
	n = snprintf(rec, sizeof(rec), "%d %llu %lld\n", (int)me.pid, me.start,
		     me.wall);
	if (ftruncate(lfd, 0) || pwrite(lfd, rec, (size_t)n, 0) != n) {
		err = -errno;
		close(lfd);
		return err;
	}
	*fd = lfd;
	return 0;
}
