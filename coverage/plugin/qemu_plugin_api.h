/* qemu_plugin_api.h - the few QEMU TCG plugin API declarations pmig-cov.c uses, for a QEMU that ships no qemu-plugin.h (Debian's 7.2). */
#ifndef PMIG_QEMU_PLUGIN_API_H
#define PMIG_QEMU_PLUGIN_API_H

/*
 * Declarations from QEMU's include/qemu/qemu-plugin.h (qemu/qemu, tag
 * v7.2.0), plugin API version 1: the types, the two enums and the
 * functions below, their signatures unchanged; only what pmig-cov.c calls
 * is here. They were taken from a copy of that header of API version 1
 * (the one with qemu_plugin_insn_symbol() and the hwaddr queries, as
 * v7.2.0 has them) and checked against Debian bookworm's QEMU 7.2
 * binaries, which ship no header: qemu-system-x86_64, -aarch64 and -ppc64
 * export these functions to the plugins they load (nm -D lists them), pass
 * version.min 0 and version.cur 1 in qemu_info_t, and refuse a plugin that
 * declares version 2 ("plugin requires API version 2, but this QEMU
 * supports only up to version 1"). QEMU 8.2 raised the version (register
 * access) and later ones changed the inline ops: a newer QEMU needs this
 * file redone from its own header.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The API version this plugin is built against (QEMU 7.2: 1). */
#define QEMU_PLUGIN_VERSION 1

typedef uint64_t qemu_plugin_id_t;

/* What QEMU says about the guest at install time. */
typedef struct qemu_info_t {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

extern QEMU_PLUGIN_EXPORT int qemu_plugin_version;

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *userdata);
/* Not atomic: vCPUs running in parallel can lose each other's adds. */
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op, void *ptr,
					      uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);

#endif
