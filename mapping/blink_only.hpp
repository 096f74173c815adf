#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "mapping/desired_state.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// What decides whether a Blink record exists only in Blink.
struct BlinkOnlyContext {
  const EntityRoster& roster;
  const RemoteEntity& remote;
  const IdentityMap& mapping;
  const std::unordered_set<std::int64_t>& adopted;  // Blink ids this plan adopts
};

struct BlinkOnlyRecords {
  std::vector<BlinkOnlyRecord> records;  // in Blink's list order
  // Set when deleting them would not be safe this cycle, with the reason.
  std::optional<std::string> deletion_blocked;
};

// Returns Blink's records of `entity` that no roster record maps, adopts in
// this plan, or has the natural key of (such a record waits for the roster
// to adopt it, for example once duplicates are removed). Deletion is
// blocked while Blink's list is incomplete, or while the roster query looks
// broken or has invalid rows, because any of those may hide the roster
// record that would adopt a Blink record. Pure.
BlinkOnlyRecords find_blink_only_records(Entity entity, const BlinkOnlyContext& context);

}  // namespace blink_sync
