#include "account_control.hpp"

#include <stdexcept>
#include <string>

namespace fake_blink {

using nlohmann::json;

json edit_account(const ApiContext& context, const json& body) {
  const auto id = body.is_object() ? body.find("id") : body.end();
  if (!body.is_object() || id == body.end() || !id->is_number_integer()) {
    throw std::invalid_argument("account body must be {\"id\": N, \"activated\": \"Yes\"|\"No\", \"join_by_link\": text}");
  }
  User* user = context.store.find_any_user(id->get<RecordId>());
  if (user == nullptr) {
    throw std::invalid_argument("no staff user or student-login has id " + std::to_string(id->get<RecordId>()));
  }

  User changed = *user;
  if (const auto activated = body.find("activated"); activated != body.end()) {
    if (*activated != "Yes" && *activated != "No") {
      throw std::invalid_argument("activated must be \"Yes\" or \"No\"");
    }
    changed.activated = activated->get<std::string>();
  }
  if (const auto link = body.find("join_by_link"); link != body.end()) {
    if (!link->is_string() || user->kind != UserKind::staff) {
      throw std::invalid_argument("join_by_link must be text, and only a staff user has one");
    }
    changed.join_by_link = link->get<std::string>();
  }
  if (changed != *user) {
    changed.updated_at = context.now;
    *user = std::move(changed);
  }
  return {{"id", user->id}, {"activated", user->activated}, {"join_by_link", user->join_by_link}};
}

}  // namespace fake_blink
