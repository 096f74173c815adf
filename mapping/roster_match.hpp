#pragma once

#include <vector>

#include "mapping/desired_state.hpp"
#include "mapping/entity.hpp"
#include "mapping/identity_map.hpp"

namespace blink_sync {

// The records of one entity's roster matched to the mapping table by local id.
struct RosterMatch {
  // The mapped record of each roster record, in roster order, or nullptr.
  std::vector<const MappedRecord*> mapped;
  // The mapped records that no valid roster record has, sorted by local id.
  std::vector<const MappedRecord*> not_in_roster;
};

// Matches the roster of `entity` to its mapped records. A roster sorted by
// local id in natural order (natural_less), as DesiredStateBuilder leaves
// it, is matched in one merge pass with the mapped records sorted the same
// way. At district scale that is faster than a hash lookup per record, which
// misses the cache several times. A roster in any other order is looked up
// record by record.
RosterMatch match_roster(Entity entity, const EntityRoster& roster, const IdentityMap& mapping);

}  // namespace blink_sync
