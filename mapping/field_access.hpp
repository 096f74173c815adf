#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "mapping/fields.hpp"

namespace blink_sync {

// Reads and writes of FieldValues slots for the three-way merge code, kept
// in one place so a change to how FieldValues stores its values touches
// only these lines.

inline std::optional<std::string> value_at(const FieldValues& fields, std::size_t slot) {
  if (slot >= fields.size()) {
    return std::nullopt;
  }
  const auto value = fields.get(slot);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

// Sets a slot, sizing `fields` for `entity` first when it has no slots.
inline void set_value(Entity entity, FieldValues& fields, std::size_t slot, std::optional<std::string> value) {
  if (fields.size() == 0) {
    fields = FieldValues(entity);
  }
  fields.set(slot, value);
}

inline bool has_any_value(const FieldValues& fields) {
  for (std::size_t slot = 0; slot < fields.size(); ++slot) {
    if (fields.get(slot)) {
      return true;
    }
  }
  return false;
}

}  // namespace blink_sync
