#pragma once

#include <ostream>

#include "daemon/config.hpp"

namespace blink_sync {

// `blink-sync status`: prints from the blink_sync tables whether the daemon
// runs and when its next cycle is, the last runs with their outcome and
// counts, the records in error and since when, and the resync requests not
// yet started. Reads only. Returns 0, or kExitUnavailable when PostgreSQL
// cannot be reached.
int print_status(const Config& config, std::ostream& out, std::ostream& err);

}  // namespace blink_sync
