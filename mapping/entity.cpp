#include "mapping/entity.hpp"

namespace blink_sync {

std::string_view entity_name(Entity entity) {
  switch (entity) {
    case Entity::student:
      return "student";
    case Entity::student_login:
      return "student_login";
    case Entity::staff:
      return "staff";
  }
  return "unknown";
}

std::optional<Entity> entity_from_name(std::string_view name) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    if (entity_name(entity) == name) {
      return entity;
    }
  }
  return std::nullopt;
}

}  // namespace blink_sync
