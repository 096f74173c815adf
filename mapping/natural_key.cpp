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
  std::string key;
  append_natural_key(entity, fields, key);
  return key;
}

void append_natural_key(Entity entity, const FieldValues& fields, std::string& key) {
  if (entity != Entity::student) {
    const auto email = slot(entity, fields, "email");
    if (email) {
      append_email_key(*email, key);
    }
    return;
  }

  const auto first = slot(entity, fields, "first_name");
  const auto last = slot(entity, fields, "last_name");
  const auto born = slot(entity, fields, "date_of_birth");
  if (!first || !last || !born) {
    return;
  }
  append_loose_key(*first, key);
  key += '\x1f';
  append_loose_key(*last, key);
  key += '\x1f';
  key += *born;
}

}  // namespace blink_sync
