#pragma once

#include <chrono>

#include "daemon/config.hpp"
#include "daemon/sync_cycle.hpp"

namespace blink_sync {

// A failed cycle is tried again this soon, or at the poll interval if that
// is shorter.
inline constexpr auto kRetryAfterFailedCycle = std::chrono::seconds(60);
// Records held while an earlier create is in doubt are looked at again this
// long after sync.in_doubt_settle_seconds.
inline constexpr auto kSettleMargin = std::chrono::seconds(5);

// Returns how long the daemon waits after a cycle: the poll interval, or
// less when the cycle failed (Blink or the database was down, but not a
// rejected token) or held records whose earlier create is in doubt. Pure.
std::chrono::milliseconds delay_after_cycle(const CycleReport& report, const SyncConfig& sync);

}  // namespace blink_sync
