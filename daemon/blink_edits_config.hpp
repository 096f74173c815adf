#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "mapping/field_owners.hpp"

namespace blink_sync {

// The Blink-only policy of one entity.
struct BlinkOnlyConfig {
  BlinkOnlyPolicy policy = BlinkOnlyPolicy::ignore;
  // Under import: a statement with named parameters (:blink_id, :entity,
  // :fields and the roster column names of the entity's fields), run for
  // each record that is new or changed. The record is also kept in
  // blink_sync.blink_only_records, which is how "new or changed" is known.
  std::optional<std::string> import_statement;
};

// Edits made in Blink and records that exist only in Blink: sync.field_owners,
// sync.conflict_policy and sync.blink_only.
struct BlinkEditsConfig {
  FieldOwners field_owners;
  ConflictPolicy conflict_policy = ConflictPolicy::roster_wins;
  std::array<BlinkOnlyConfig, 3> blink_only{};  // indexed by Entity
};

// Returns the parameter names an import statement of `entity` may use.
std::vector<std::string> import_parameter_names(Entity entity);

}  // namespace blink_sync
