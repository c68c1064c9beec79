/* journal.h - an fsync'd, append-only file of what a run changes machine-wide, so that whatever kills it, the next run undoes it. */
#ifndef PMIG_JOURNAL_H
#define PMIG_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Where the commands keep the journal and the one-run-per-machine lock
 * (the environment's PMIG_RUN_DIR overrides it): tmpfs, so a reboot,
 * which undoes every change anyway, also forgets them.
 */
#define PMIG_RUN_DIR "/run/pmig"

/*
 * Record kinds, each one step that puts something back, with all the step
 * needs in the record (harness/undo.h), written before the change it
 * undoes. A change that takes several steps to undo writes several records,
 * each before its own part of the change; the replay runs them newest
 * first. A new kind of machine state needs no new kind when one of these
 * steps undoes it. Each record gets an id; a later 'R' record of that id
 * says it was undone.
 *
 *   S path original   write the original back if the file holds another
 *   W path value      write the value, if the path exists
 *   D path word       write "-word" if the word is in the file's list
 *   C directory       kill what is in the cgroup and remove it
 *   M target fstype   unmount, if such a file system is mounted there
 *   O device          swapoff
 */
#define PMIG_J_SETTING 'S'
#define PMIG_J_WRITE 'W'
#define PMIG_J_DROP_WORD 'D'
#define PMIG_J_CGROUP 'C'
#define PMIG_J_MOUNT 'M'
#define PMIG_J_SWAP 'O'
#define PMIG_J_KINDS "SWDCMO"

/** A record's id: the writing process and its count; 0 for none. */
typedef unsigned long long pmig_jid;

/** Which run a journal (or the lock) belongs to: pid and start time in clock ticks after boot. */
struct pmig_run_id {
	pid_t pid;
	unsigned long long start; /* field 22 of /proc/PID/stat */
	long long wall; /* when it began, seconds since the epoch */
};

struct pmig_jentry {
	char kind;
	pmig_jid id;
	bool undone;
	char *a; /* path, directory, mount point or device */
	char *b; /* original value, value to write, word or file system type */
};

struct pmig_journal {
	bool has_owner;
	struct pmig_run_id owner;
	struct pmig_jentry *e;
	size_t n;
};

/** Start time of process @pid as /proc/PID/stat gives it. 0 or -errno (-ESRCH: no such process). */
int pmig_proc_start(pid_t pid, unsigned long long *start);
/** Whether @id's run is still there: the same pid with the same start time, so a reused pid does not count. */
bool pmig_run_alive(const struct pmig_run_id *id);

/**
 * Parses a journal's text. A record is one line; a last line without its
 * newline (torn by a crash mid-write) and any line that does not parse are
 * ignored. 0 or -ENOMEM. Free with pmig_journal_free().
 */
int pmig_journal_parse(const char *text, size_t len, struct pmig_journal *j);
void pmig_journal_free(struct pmig_journal *j);

/**
 * Replays, newest first, the step of every entry of @j not marked undone
 * (see the record kinds above). @said gets what it changed, "; "-separated
 * ("" for nothing). Returns how many changes it made, or -errno of the
 * first step that failed (the others are still tried; @said names the
 * failed one too).
 */
int pmig_journal_undo(const struct pmig_journal *j, char *said, size_t len);

/**
 * The journal at @path left by a run that is gone: reads it, undoes it and
 * empties it. *@was gets its owner. Returns the number of changes undone
 * (0: no journal, an empty one, or nothing left changed), -EBUSY when its
 * run is still alive (nothing is touched), or -errno.
 */
int pmig_journal_recover(const char *path, struct pmig_run_id *was, char *said,
			 size_t len);

/**
 * Makes @path this process's journal: truncates it and writes the owner
 * record. From then on the record functions below append to it, from this
 * process and its forked children. 0 or -errno.
 */
int pmig_journal_start(const char *path);

/**
 * Appends a record of @kind (@a, @b may be NULL for "") and fsyncs it,
 * before the change it describes; *@id gets its id. With no journal started
 * it writes nothing, sets *@id to 0 and returns 0. 0 or -errno: the caller
 * must then not make the change.
 */
int pmig_journal_note(char kind, const char *a, const char *b, pmig_jid *id);
/** Appends that @id was undone (nothing for 0). Async-signal-safe. */
void pmig_journal_undone(pmig_jid id);
/**
 * After forked child @pid of the journal's owner ended without putting back
 * what it changed (killed, say): undoes its records not marked undone, as
 * pmig_journal_undo() does, and marks them undone. Only the owner acts;
 * pmig_journal_finish() empties a journal once the owner's own records are
 * undone, so a child's would otherwise be lost. @said as for
 * pmig_journal_undo(). Returns how many changes it made, or -errno.
 */
int pmig_journal_undo_child(pid_t pid, char *said, size_t len);

/**
 * For a program the journal's owner started (fork and exec): a descriptor of
 * the journal this process may hand over (a copy without close-on-exec; the
 * caller closes it), or -1 with no journal.
 */
int pmig_journal_share(void);
/**
 * In that program: appends its records to the journal at @fd, started by
 * process @owner, which undoes them if this one dies without doing so
 * (pmig_journal_undo_child()).
 */
void pmig_journal_join(int fd, pid_t owner);

/**
 * At the end of a run: empties the journal when the process that started it
 * calls and every record it wrote itself was undone; otherwise leaves it
 * for the next run. Async-signal-safe.
 */
void pmig_journal_finish(void);

/**
 * Takes the one-run-per-machine lock, an flock on @dir/lock (@dir made when
 * missing), and writes this run's id into the file for whoever waits.
 * With @wait false returns -EWOULDBLOCK when another run holds it, *@holder
 * set from the file (pid 0 when it could not be read). *@fd gets the lock's
 * descriptor, which holds it until this process and its children close it.
 * 0 or -errno.
 */
int pmig_runlock_take(const char *dir, bool wait, int *fd,
		      struct pmig_run_id *holder);

/** The run directory: PMIG_RUN_DIR from the environment or the default. */
const char *pmig_run_dir(void);

#endif
