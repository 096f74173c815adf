#include "mapping/natural_key.hpp"

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

const std::optional<std::string>& slot(Entity entity, const FieldValues& fields,
                                       std::string_view key) {
  static const std::optional<std::string> kUnknown;
  const auto index = field_index(entity, key);
  if (!index || *index >= fields.slots.size()) {
    return kUnknown;
  }
  return fields.slots[*index];
}

}  // namespace

std::string natural_key(Entity entity, const FieldValues& fields) {
  if (entity != Entity::student) {
    const auto& email = slot(entity, fields, "email");
    return email ? email_key(*email) : std::string();
  }

  const auto& first = slot(entity, fields, "first_name");
  const auto& last = slot(entity, fields, "last_name");
  const auto& born = slot(entity, fields, "date_of_birth");
  if (!first || !last || !born) {
    return {};
  }
  return loose_key(*first) + '\x1f' + loose_key(*last) + '\x1f' + *born;
}

}  // namespace blink_sync
