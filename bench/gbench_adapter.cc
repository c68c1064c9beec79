// gbench_adapter.cc - the only C++ in pmig: registers the C benchmarks with Google Benchmark and forwards the shim's calls to its State.
#include <benchmark/benchmark.h>

#include <cerrno>

#include "gb.h"

namespace {
benchmark::State &state(void *gs)
{
	return *static_cast<benchmark::State *>(gs);
}
} // namespace

extern "C" {

bool pmig_gb_keep_running(void *gs)
{
	return state(gs).KeepRunning();
}

void pmig_gb_set_iteration_time(void *gs, double seconds)
{
	state(gs).SetIterationTime(seconds);
}

void pmig_gb_set_counter(void *gs, const char *name, double value,
			 unsigned flags)
{
	// The values of enum pmig_counter_flags (shim.h).
	int f = benchmark::Counter::kDefaults;

	if (flags & 1)
		f |= benchmark::Counter::kIsRate;
	if (flags & 2)
		f |= benchmark::Counter::kAvgIterations;
	state(gs).counters[name] = benchmark::Counter(
		value, static_cast<benchmark::Counter::Flags>(f));
}

void pmig_gb_set_label(void *gs, const char *label)
{
	state(gs).SetLabel(label);
}

void pmig_gb_skip_with_error(void *gs, const char *message)
{
	state(gs).SkipWithError(message);
}

long pmig_gb_iterations(void *gs)
{
	return static_cast<long>(state(gs).iterations());
}

int pmig_gb_register(const char *name, int bench, long iterations)
{
	benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
		name, [bench](benchmark::State &st) {
			pmig_bench_run_one(bench, &st);
		});

	if (!b)
		return -ENOMEM;
	// Manual time: rates divide by the measured calls' time, never CPU time.
	b->UseManualTime()->Iterations(iterations);
	return 0;
}

int pmig_gb_init(int *argc, char **argv)
{
	benchmark::Initialize(argc, argv);
	return benchmark::ReportUnrecognizedArguments(*argc, argv) ? -EINVAL :
								     0;
}

void pmig_gb_add_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value);
}

long pmig_gb_run(void)
{
	long n = static_cast<long>(benchmark::RunSpecifiedBenchmarks());

	benchmark::Shutdown();
	return n;
}

} // extern "C"
