#include "user_fields.hpp"

#include "validation.hpp"

namespace fake_blink {

void read_new_user_fields(const Store& store, const Payload& payload, User& user) {
  user.first_name = required_text(payload, "first_name");
  user.last_name = required_text(payload, "last_name");
  user.email = required_text(payload, "email");
  user.phone = required_text(payload, "phone");

  check_email_format(user.email);
  check_email_unique(store, user.email, std::nullopt);
}

void apply_user_field_changes(const Store& store, const Payload& payload, User& user) {
  if (auto first_name = changed_required_text(payload, "first_name")) {
    user.first_name = std::move(*first_name);
  }
  if (auto last_name = changed_required_text(payload, "last_name")) {
    user.last_name = std::move(*last_name);
  }
  if (auto phone = changed_required_text(payload, "phone")) {
    user.phone = std::move(*phone);
  }

  if (auto email = changed_required_text(payload, "email")) {
    check_email_format(*email);
    check_email_unique(store, *email, user.id);
    user.email = std::move(*email);
  }
}

std::optional<std::set<RecordId>> requested_links(const Store& store, const Payload& payload) {
  const auto ids = payload.id_list("linked_student_ids");
  if (!ids) {
    return std::nullopt;
  }
  return existing_student_ids(store, "linked_student_ids", *ids);
}

}  // namespace fake_blink
