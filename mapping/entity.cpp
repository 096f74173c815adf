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

}  // namespace blink_sync
