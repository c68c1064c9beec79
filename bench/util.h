/* util.h - small pure helpers of the benchmark program: sizes, CPU lists. */
#ifndef PMIG_BENCH_UTIL_H
#define PMIG_BENCH_UTIL_H

#include <sched.h>
#include <stddef.h>

/** "4096", "64K", "1M", "2G": the size in bytes, or 0 when @s is not a whole positive size. */
size_t pmig_size_parse(const char *s);
/** @bytes as the shortest exact "512K", "1M", "3G" or plain bytes, into @buf. */
const char *pmig_size_format(size_t bytes, char *buf, size_t len);
/** A comma-separated list of sizes into @out (up to @max): how many, or -EINVAL. */
int pmig_size_list_parse(const char *s, size_t *out, int max);
/** A Linux CPU list ("0-3,8") into @set. 0 or -EINVAL. */
int pmig_cpulist_parse(const char *s, cpu_set_t *set);

#endif
