/* outfile.c - output files that are refused before the work when they cannot be written, and never left half-written. */
#include "outfile.h"
#include "output.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pmig_outfile_check(const char *path)
{
	char *copy, tmp[4096];
	struct stat sb;
	int fd;

	/* A directory passes the test below and fails only at the rename. */
	if (!stat(path, &sb) && S_ISDIR(sb.st_mode))
		return -EISDIR;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	snprintf(tmp, sizeof(tmp), "%s/.pmig-XXXXXX", dirname(copy));
	free(copy);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	close(fd);
	unlink(tmp);
	return 0;
}

int pmig_outfile_open(const char *path, char *tmp, size_t tmplen, FILE **f)
{
	mode_t mask = umask(0);
	int fd, err;

	umask(mask);
	if ((size_t)snprintf(tmp, tmplen, "%s.XXXXXX", path) >= tmplen)
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0666 & ~mask) || !(*f = fdopen(fd, "w"))) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	return 0;
}

int pmig_outfile_commit(FILE *f, const char *tmp, const char *path, int err)
{
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int pmig_outfile_write_run(const char *path, const struct pmig_run *run,
			   int (*writer)(const struct pmig_run *, FILE *))
{
	char tmp[4096];
	FILE *f;
	int err = pmig_outfile_open(path, tmp, sizeof(tmp), &f);

	if (err)
		return err;
	return pmig_outfile_commit(f, tmp, path, writer(run, f));
}

int pmig_outfile_write_kcidb(const char *path, const struct pmig_run *run,
			     const struct pmig_kcidb_ident *ident)
{
	char tmp[4096];
	FILE *f;
	int err = pmig_outfile_open(path, tmp, sizeof(tmp), &f);

	if (err)
		return err;
	return pmig_outfile_commit(f, tmp, path,
				   pmig_kcidb_write_ident(run, ident, f));
}
