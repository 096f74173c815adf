#pragma once

#include <string>

#include "mapping/entity.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {

// Returns the key by which Blink itself spots a duplicate: the email for
// staff and student-logins (one user table, case-insensitive), and first
// name, last name and date of birth for students. Names are compared
// without regard to case or accents, so that a record Blink would call a
// duplicate is found rather than created twice. Returns an empty string when
// a field of the key is unknown.
std::string natural_key(Entity entity, const FieldValues& fields);

// Appends natural_key(entity, fields) to `key`, building no temporary
// string for ASCII names.
void append_natural_key(Entity entity, const FieldValues& fields, std::string& key);

}  // namespace blink_sync
