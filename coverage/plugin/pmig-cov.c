/* pmig-cov.c - pmig's QEMU TCG plugin: counts how often each block of guest kernel code ran, per epoch the guest marks (pmig vm --coverage), and writes the raw file at exit. */
#include "covtab.h"
#include "qemu_plugin_api.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/*
 * Translation is rare next to execution: one lock for the tables, taken
 * when a block is translated and when an epoch switches. Executions add
 * to their block's counter inline, with no call and no lock. Under
 * multi-threaded TCG those adds are not atomic, and a vCPU can add while
 * another one's epoch switch reads and zeroes the counters: a count can
 * be lost or land in the neighbouring epoch. pmig vm runs TCG with one
 * thread for all vCPUs (thread=single), where neither happens; elsewhere
 * the figures are "reached, and about how often", which is what they are
 * for.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct pmig_covtab *table;
static uint64_t kernel_base;
static const char *arch;
static const char *out_path;
static unsigned long lost; /* blocks left uncounted: no memory */

static void epoch_begins(unsigned int vcpu, void *udata)
{
	unsigned id = (unsigned)(uintptr_t)udata;

	(void)vcpu;
	pthread_mutex_lock(&lock);
	if (pmig_covtab_switch(table, id))
		lost++;
	pthread_mutex_unlock(&lock);
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb), end;
	size_t n = qemu_plugin_tb_n_insns(tb);
	struct qemu_plugin_insn *last;
	uint64_t *counter;
	unsigned epoch;

	(void)id;
	if (vaddr < kernel_base) {
		if (pmig_covtab_mark_id(vaddr, &epoch))
			qemu_plugin_register_vcpu_tb_exec_cb(
				tb, epoch_begins, QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)epoch);
		return;
	}
	if (!n)
		return;
	last = qemu_plugin_tb_get_insn(tb, n - 1);
	end = qemu_plugin_insn_vaddr(last) + qemu_plugin_insn_size(last);
	pthread_mutex_lock(&lock);
	counter = pmig_covtab_counter(table, vaddr, (uint32_t)(end - vaddr));
	if (!counter)
		lost++;
	pthread_mutex_unlock(&lock);
	if (counter)
		qemu_plugin_register_vcpu_tb_exec_inline(
			tb, QEMU_PLUGIN_INLINE_ADD_U64, counter, 1);
}

/* The raw file, written whole under a temporary name, then renamed. */
static void write_out(qemu_plugin_id_t id, void *udata)
{
	size_t len = strlen(out_path) + 8;
	char *tmp = malloc(len);
	FILE *f;
	int err = -ENOMEM;

	(void)id;
	(void)udata;
	pthread_mutex_lock(&lock);
	if (tmp) {
		snprintf(tmp, len, "%s.part", out_path);
		f = fopen(tmp, "w");
		err = f ? pmig_covtab_write(table, arch, f) : -errno;
		if (f && fclose(f) && !err)
			err = -EIO;
		if (!err && rename(tmp, out_path))
			err = -errno;
		if (err)
			unlink(tmp);
	}
	if (err)
		fprintf(stderr, "pmig-cov: cannot write %s: %s\n", out_path,
			strerror(-err));
	if (lost)
		fprintf(stderr,
			"pmig-cov: out of memory: %lu blocks or epoch switches not counted\n",
			lost);
	pthread_mutex_unlock(&lock);
	free(tmp);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4) && argv[i][4]) {
			out_path = argv[i] + 4;
		} else {
			fprintf(stderr,
				"pmig-cov: unknown argument '%s' (out=PATH)\n",
				argv[i]);
			return -1;
		}
	}
	if (!out_path) {
		fprintf(stderr, "pmig-cov: no out=PATH argument\n");
		return -1;
	}
	kernel_base = pmig_covtab_kernel_base(info->target_name, &arch);
	if (!kernel_base || !info->system_emulation) {
		fprintf(stderr,
			"pmig-cov: %s %s: only system emulation of x86_64, aarch64 and ppc64 guests is known\n",
			info->target_name,
			info->system_emulation ? "system" : "user");
		return -1;
	}
	table = pmig_covtab_new();
	if (!table) {
		fprintf(stderr, "pmig-cov: out of memory\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, write_out, NULL);
	return 0;
}
