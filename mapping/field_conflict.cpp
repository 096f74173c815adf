#include "mapping/field_conflict.hpp"

namespace blink_sync {

std::string_view conflict_outcome_name(ConflictPolicy policy) {
  switch (policy) {
    case ConflictPolicy::roster_wins:
      return "roster_value_sent";
    case ConflictPolicy::blink_wins:
      return "blink_value_pulled";
    case ConflictPolicy::report:
      return "reported";
  }
  return "reported";
}

void OpenConflicts::add(Entity entity, const std::string& local_id, const std::string& field,
                        OpenConflict conflict) {
  by_key_.insert_or_assign(key(entity, local_id, field), std::move(conflict));
}

const OpenConflict* OpenConflicts::find(Entity entity, const std::string& local_id, std::string_view field) const {
  if (by_key_.empty()) {
    return nullptr;
  }
  const auto found = by_key_.find(key(entity, local_id, field));
  return found == by_key_.end() ? nullptr : &found->second;
}

// A NUL byte cannot occur in a local id or a field key read from PostgreSQL
// text, so it separates the parts without ambiguity.
std::string OpenConflicts::key(Entity entity, std::string_view local_id, std::string_view field) {
  std::string joined(entity_name(entity));
  joined += '\0';
  joined += local_id;
  joined += '\0';
  joined += field;
  return joined;
}

}  // namespace blink_sync
