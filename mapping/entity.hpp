#pragma once

#include <optional>
#include <string_view>

namespace blink_sync {

// The three kinds of Blink record the daemon keeps in step with the roster.
enum class Entity { student, student_login, staff };

// Returns the name used in logs, the database and the configuration:
// "student", "student_login" or "staff".
std::string_view entity_name(Entity entity);

// The reverse of entity_name; nullopt for any other text.
std::optional<Entity> entity_from_name(std::string_view name);

// Returns whichever of three per-entity values belongs to `entity`.
template <typename T>
T& select_by_entity(Entity entity, T& students, T& student_logins, T& staff) {
  switch (entity) {
    case Entity::student:
      return students;
    case Entity::student_login:
      return student_logins;
    case Entity::staff:
      return staff;
  }
  return students;
}

}  // namespace blink_sync
