#pragma once

#include <array>
#include <cstddef>
#include <ostream>

#include "daemon/config.hpp"
#include "mapping/deletion_guard.hpp"
#include "mapping/identity_map.hpp"

namespace blink_sync {

// Returns the removal guard's limits from the sync section.
RemovalLimits removal_limits(const SyncConfig& sync);

// Returns the number of mapped records of each entity, indexed by Entity.
std::array<std::size_t, 3> mapped_counts(const IdentityMap& mapping);

// Logs one error line when removals were held, naming the counts, the
// settings to change and the one-off --allow-deletions, and a warning when
// an allowance let held removals through.
void log_removal_hold(const RemovalHold& hold);

// Writes the same facts for --dry-run.
void write_removal_hold(std::ostream& out, const RemovalHold& hold);

}  // namespace blink_sync
