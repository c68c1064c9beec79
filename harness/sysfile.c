/* sysfile.c - reads and writes one procfs, sysfs or cgroup file whole, async-signal-safe. */
#include "sysfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int pmig_sysfile_write_len(const char *path, const char *buf, size_t len,
			   bool *touched)
{
	size_t done = 0;
	int fd, err = 0;

	if (touched)
		*touched = false;
	do {
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	if (touched)
		*touched = true;
	while (done < len) {
		ssize_t r = write(fd, buf + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : -EIO;
			break;
		}
		done += (size_t)r;
	}
	/* procfs and sysfs may report a rejected value only at close. */
	if (close(fd) < 0 && !err && errno != EINTR)
		err = -errno;
	return err;
}

int pmig_sysfile_write(const char *path, const char *value)
{
	return pmig_sysfile_write_len(path, value, strlen(value), NULL);
}

/*
 * Selection files (THP "enabled", block "scheduler") list every choice and
 * bracket the current one; only the bracketed word can be written back.
 * Returns its start and length, or false when @s is not such a list.
 */
static bool selected_word(const char *s, size_t len, size_t *start,
			  size_t *wlen)
{
	size_t i = 0, found = 0;

	while (i < len) {
		size_t tok = i, end;

		while (i < len && s[i] != ' ')
			i++;
		end = i;
		if (end == tok)
			return false; /* empty token: not a plain word list */
		if (s[tok] == '[') {
			if (end - tok < 3 || s[end - 1] != ']' ||
			    memchr(s + tok + 1, '[', end - tok - 2) ||
			    memchr(s + tok + 1, ']', end - tok - 2))
				return false;
			if (found++)
				return false;
			*start = tok + 1;
			*wlen = end - tok - 2;
		} else if (memchr(s + tok, '[', end - tok) ||
			   memchr(s + tok, ']', end - tok)) {
			return false;
		}
		if (i < len)
			i++; /* the separating space */
		if (i == len && s[len - 1] == ' ')
			return false;
	}
	return found == 1;
}

int pmig_sysfile_read(const char *path, char *buf, size_t cap)
{
	/* Room for the value, its newline and one byte that reveals an overflow. */
	char raw[PMIG_SYSFILE_VALUE_MAX + 1];
	size_t len = 0, start, wlen;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < sizeof(raw)) {
		ssize_t r = read(fd, raw + len, sizeof(raw) - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > 0 && raw[len - 1] == '\n')
		len--;
	if (len >= PMIG_SYSFILE_VALUE_MAX)
		return -EOVERFLOW;
	if (selected_word(raw, len, &start, &wlen)) {
		memmove(raw, raw + start, wlen);
		len = wlen;
	}
	if (len >= cap)
		return -EOVERFLOW;
	memcpy(buf, raw, len);
	buf[len] = '\0';
	return 0;
}

bool pmig_word_in(const char *list, const char *word, const char *seps)
{
	size_t wl = strlen(word);

	while (*list) {
		size_t n = strcspn(list, seps);

		if (n == wl && !strncmp(list, word, wl))
			return true;
		list += n;
		list += strspn(list, seps);
	}
	return false;
}
