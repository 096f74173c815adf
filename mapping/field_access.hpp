#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "mapping/fields.hpp"

namespace blink_sync {

// Reads and writes of FieldValues slots for the three-way merge code, kept
// in one place so a change to how FieldValues stores its values touches
// only these lines.

inline const std::optional<std::string>& value_at(const FieldValues& fields, std::size_t slot) {
  static const std::optional<std::string> unknown;
  return slot < fields.slots.size() ? fields.slots[slot] : unknown;
}

// Sets a slot, sizing `fields` for `entity` first when it has no slots.
inline void set_value(Entity entity, FieldValues& fields, std::size_t slot, std::optional<std::string> value) {
  if (fields.slots.empty()) {
    fields = FieldValues(entity);
  }
  fields.slots.at(slot) = std::move(value);
}

inline bool has_any_value(const FieldValues& fields) {
  for (const auto& slot : fields.slots) {
    if (slot) {
      return true;
    }
  }
  return false;
}

}  // namespace blink_sync
