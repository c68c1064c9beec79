/* size.h - sizes as people write them on command lines ("64K", "1M", "2G"), both ways; measurements with their unit as people read them ("4.6 s", "1.07 GB/s"). */
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
/**
 * @v in @unit as people read it, with @digits significant digits ("%.Ng")
 * and a metric prefix: a time in seconds ("s") steps down to ms, us and ns
 * ("4.6 s", "12.3 ms", "0 ns"; never up: "3.6e+03 s"), any other unit
 * steps up by 1000 to k, M, G, T and P ("1.072 GB/s", "950 B/s"); "-" when
 * @v is not finite. Into @buf.
 */
const char *pmig_measure_format(double v, const char *unit, int digits,
				char *buf, size_t len);

#endif
