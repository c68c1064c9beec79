/* topo_xml.c - reads a hwloc XML file once in a child process first, so that an input libhwloc crashes on is refused instead of killing pmig. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hwloc.h>

#include "topo.h"

/*
 * libhwloc 2.9's XML import dereferences NULL on some malformed files (an
 * object without its complete_cpuset, a tag cut inside an attribute: the
 * fuzz_topo target found several), and pmig cannot fix hwloc. The trial
 * load runs in a child with the default action for the crash signals, so
 * that neither pmig's nor a sanitizer's handler turns hwloc's crash into
 * pmig's.
 */
int pmig_topo_xml_check(const char *path)
{
	static const int crash[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
				     SIGILL };
	int status;
	pid_t pid;

	if (access(path, R_OK))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		hwloc_topology_t hw;

		for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
			signal(crash[i], SIG_DFL);
		if (hwloc_topology_init(&hw) < 0)
			_exit(0);
		hwloc_topology_set_io_types_filter(hw,
						   HWLOC_TYPE_FILTER_KEEP_NONE);
		/* Whether it loads is for the real load to say; only a crash counts here. */
		if (!hwloc_topology_set_xml(hw, path))
			hwloc_topology_load(hw);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFSIGNALED(status) ? -EINVAL : 0;
}
