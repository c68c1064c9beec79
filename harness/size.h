/* size.h - sizes as people write them on command lines ("64K", "1M", "2G"), both ways. */
#ifndef PMIG_SIZE_H
#define PMIG_SIZE_H

#include <stddef.h>

/** "4096", "64K", "1M", "2G": the size in bytes, or 0 when @s is not a whole positive size. */
size_t pmig_size_parse(const char *s);
/**
 * The machine's memory in bytes: a size beyond it is a mistake to refuse
 * on the command line, not an allocation to attempt (sanitizers abort).
 */
size_t pmig_size_ram(void);
/** @bytes as the shortest exact "512K", "1M", "3G" or plain bytes, into @buf. */
const char *pmig_size_format(size_t bytes, char *buf, size_t len);
/** A comma-separated list of sizes into @out (up to @max): how many, or -EINVAL. */
int pmig_size_list_parse(const char *s, size_t *out, int max);

#endif
