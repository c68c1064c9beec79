/* timer_proto.h - the messages between a timing process and its parent: types, header, and whole reads and writes on the socket. */
#ifndef PMIG_BENCH_TIMER_PROTO_H
#define PMIG_BENCH_TIMER_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pmig_timer_msg {
	MSG_SAMPLES, /* u64[]: timed calls of the current iteration */
	MSG_NEXT, /* none; the parent answers one byte, 1 = go on */
	MSG_WORK, /* u64 bytes, u64 items */
	MSG_COUNTER, /* double, u32 flags, name */
	MSG_NOTE_NUM, /* double, key */
	MSG_NOTE_TEXT, /* key NUL text */
	MSG_SERIES, /* double, name */
	MSG_FAILED, /* message */
	MSG_UNAVAILABLE, /* message */
};

struct pmig_timer_head {
	uint32_t type;
	uint32_t len; /* payload bytes */
};

#define PMIG_TIMER_MAX_PAYLOAD 4096

/** All of @len bytes through @fd, or -1: a socket may move less per call. */
int pmig_timer_write_all(int fd, const void *buf, size_t len);
int pmig_timer_read_all(int fd, void *buf, size_t len);

#endif
