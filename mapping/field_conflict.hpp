#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "mapping/entity.hpp"
#include "mapping/field_owners.hpp"

namespace blink_sync {

// A field that the roster and Blink both changed, to different values,
// since the last sync: one row of blink_sync.conflicts.
struct FieldConflict {
  Entity entity = Entity::student;
  std::string local_id;
  std::int64_t blink_id = 0;
  std::string field;  // the Blink key
  std::string roster_value;
  std::string blink_value;
  std::optional<std::string> base_value;  // the last-synced value
  ConflictPolicy policy = ConflictPolicy::roster_wins;
};

// What happened to a conflict: the policy's outcome, as stored.
std::string_view conflict_outcome_name(ConflictPolicy policy);

// The values of a conflict that is still open (reported and not resolved).
struct OpenConflict {
  std::string roster_value;
  std::string blink_value;
};

// Open conflicts by entity, local id and field, loaded from
// blink_sync.conflicts. The planner leaves such a field alone while both
// sides still hold the reported values, so a conflict is reported once.
class OpenConflicts {
 public:
  void add(Entity entity, const std::string& local_id, const std::string& field, OpenConflict conflict);
  const OpenConflict* find(Entity entity, const std::string& local_id, std::string_view field) const;
  bool empty() const { return by_key_.empty(); }

 private:
  static std::string key(Entity entity, std::string_view local_id, std::string_view field);

  std::unordered_map<std::string, OpenConflict> by_key_;
};

}  // namespace blink_sync
