#include "bench/resource_usage.hpp"

#include <sys/resource.h>
#include <sys/time.h>

namespace blink_sync::bench {
namespace {

rusage usage_of_self() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage;
}

double seconds(const timeval& time) { return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6; }

}  // namespace

double cpu_seconds() {
  const auto usage = usage_of_self();
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double system_cpu_seconds() { return seconds(usage_of_self().ru_stime); }

double peak_rss_mib() { return static_cast<double>(usage_of_self().ru_maxrss) / 1024.0; }

}  // namespace blink_sync::bench
