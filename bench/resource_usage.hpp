#pragma once

namespace blink_sync::bench {

// The process's CPU time so far (user plus system), in seconds.
double cpu_seconds();

// The part of cpu_seconds() spent in the kernel, mostly handing the
// process fresh zeroed pages, in seconds.
double system_cpu_seconds();

// The process's peak resident set size so far, in MiB (from ru_maxrss,
// which Linux reports in KiB).
double peak_rss_mib();

}  // namespace blink_sync::bench
