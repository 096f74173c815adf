#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mapping/entity.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {

// Whether a body creates a record or changes one.
enum class PayloadKind { create, update };

// Builds the JSON body of a POST or PUT from the known slots of `fields`:
// text as strings, flags as 1/0 numbers. An empty integer (no location) is
// left out of a create and sent as null in an update, where it clears the
// value. When `linked_students` is set, `linked_student_ids` carries the
// complete set as a comma-separated string; an empty set is sent as "" and
// unlinks all.
nlohmann::json build_payload(Entity entity, const FieldValues& fields,
                             const std::optional<std::vector<std::int64_t>>& linked_students,
                             PayloadKind kind = PayloadKind::update);

// Returns ids as Blink's comma-separated list, ascending and without
// duplicates: "44,232".
std::string join_ids(std::vector<std::int64_t> ids);

}  // namespace blink_sync
