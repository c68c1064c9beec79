// gbench_adapter.cc - the only C++ in pmig: registers the C benchmarks with Google Benchmark and forwards the shim's calls to its State.
#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <streambuf>
#include <string>

#include "gb.h"

namespace {
benchmark::State &state(void *gs)
{
	return *static_cast<benchmark::State *>(gs);
}

// What the library prints in its context when it was built without NDEBUG.
// Debian builds libbenchmark with CMake's build type None: -O2, but no
// NDEBUG, so the library's internal checks (BM_CHECK) are compiled in, and
// it calls itself DEBUG. pmig says once what that means for its figures.
const char debug_warning[] = "***WARNING*** Library was built as DEBUG";
const char debug_note[] =
	"pmig bench: that warning is the library's about its own build: Debian builds libbenchmark "
	"optimized but without NDEBUG, so its internal consistency checks run.\n"
	"pmig bench: pmig's figures are not taken by the library's timer: the Time column, the rates "
	"and the latencies come from pmig's own CLOCK_MONOTONIC reads right around each migration "
	"call (manual time), with the library's loop and checks outside them; only the CPU column "
	"is the library's measure.\n";

// Passes everything to stderr's buffer, a line at a time, and adds the note
// after the library's DEBUG warning.
class NotingBuf : public std::streambuf {
    public:
	explicit NotingBuf(std::streambuf *out) : out_(out)
	{
	}

    protected:
	int overflow(int c) override
	{
		if (c == traits_type::eof())
			return traits_type::not_eof(c);
		return put(static_cast<char>(c)) ? c : traits_type::eof();
	}

	std::streamsize xsputn(const char *s, std::streamsize n) override
	{
		for (std::streamsize i = 0; i < n; i++)
			if (!put(s[i]))
				return i;
		return n;
	}

	int sync() override
	{
		return out_->pubsync();
	}

    private:
	bool put(char c)
	{
		if (out_->sputc(c) == traits_type::eof())
			return false;
		line_ += c;
		if (c == '\n') {
			if (!noted_ &&
			    line_.find(debug_warning) != std::string::npos) {
				out_->sputn(debug_note,
					    static_cast<std::streamsize>(
						    std::strlen(debug_note)));
				noted_ = true;
			}
			line_.clear();
		}
		return true;
	}

	std::streambuf *out_;
	std::string line_;
	bool noted_ = false;
};
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
	// The console reporter writes its context, warnings included, to std::cerr.
	NotingBuf noting(std::cerr.rdbuf());
	std::streambuf *old = std::cerr.rdbuf(&noting);
	long n = static_cast<long>(benchmark::RunSpecifiedBenchmarks());

	std::cerr.rdbuf(old);
	benchmark::Shutdown();
	return n;
}

} // extern "C"
