#pragma once

#include <string_view>

namespace blink_sync {

// The three kinds of Blink record the daemon keeps in step with the roster.
enum class Entity { student, student_login, staff };

// Returns the name used in logs, the database and the configuration:
// "student", "student_login" or "staff".
std::string_view entity_name(Entity entity);

}  // namespace blink_sync
