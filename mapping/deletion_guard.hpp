#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mapping/plan.hpp"

namespace blink_sync {

// When a cycle holds its discharges and deletions instead of sending them.
struct RemovalLimits {
  // Hold an entity's removals when they are more than this percentage of
  // its mapped records...
  int max_percent = 10;
  // ...and at least this many, so a small roster can still lose a pupil.
  std::size_t min_held = 5;
  // Hold every removal of the cycle when there are more than this many in all.
  std::size_t max_total = 500;
};

// Removals (discharges and deletions) of one entity in a plan.
struct EntityRemovals {
  std::size_t planned = 0;
  std::size_t mapped = 0;  // records of the entity in the mapping table
  std::size_t held = 0;
};

// What the guard held back and why.
struct RemovalHold {
  std::array<EntityRemovals, 3> by_entity{};  // indexed by Entity
  std::size_t planned = 0;
  std::size_t held = 0;
  std::size_t allowed = 0;  // held removals let through by an allowance
  std::vector<std::string> reasons;  // one sentence per limit exceeded

  const EntityRemovals& of(Entity entity) const { return by_entity[static_cast<int>(entity)]; }
};

// Removes from `plan` the discharges and deletions that exceed `limits`, and
// returns what was held. `mapped_counts` is the number of mapped records of
// each entity, indexed by Entity. An `allowance` of N lets the first N held
// removals, in plan order, through; the rest stay held. Pure: the plan's
// other operations, `forget` included, are left as they are.
RemovalHold hold_mass_removals(Plan& plan, const std::array<std::size_t, 3>& mapped_counts,
                               const RemovalLimits& limits, std::optional<std::size_t> allowance);

// Returns true for the actions the guard counts: discharge and delete.
bool is_removal(Action action);

// Returns the Blink ids of the students that `plan` discharges or deletes.
std::set<std::int64_t> student_removal_ids(const Plan& plan);

}  // namespace blink_sync
