#include "mapping/natural_key.hpp"

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

std::optional<std::string_view> slot(Entity entity, const FieldValues& fields, std::string_view key) {
  const auto index = field_index(entity, key);
  return index ? fields.get(*index) : std::nullopt;
}

}  // namespace

std::string natural_key(Entity entity, const FieldValues& fields) {
  if (entity != Entity::student) {
    const auto email = slot(entity, fields, "email");
    return email ? email_key(*email) : std::string();
  }

  const auto first = slot(entity, fields, "first_name");
  const auto last = slot(entity, fields, "last_name");
  const auto born = slot(entity, fields, "date_of_birth");
  if (!first || !last || !born) {
    return {};
  }
  auto key = loose_key(*first) + '\x1f' + loose_key(*last) + '\x1f';
  key += *born;
  return key;
}

}  // namespace blink_sync
