#include "student_logins_api.hpp"

#include <algorithm>
#include <array>

#include "record_json.hpp"
#include "user_fields.hpp"
#include "validation.hpp"

namespace fake_blink {
namespace {

constexpr std::array<std::string_view, 3> kSortFields = {"id", "created_at", "updated_at"};

SortValue sort_key(const User& login, std::string_view field) {
  if (field == "created_at") return login.created_at.time_since_epoch().count();
  if (field == "updated_at") return login.updated_at.time_since_epoch().count();
  return login.id;
}

User& find_login(const ApiContext& context, RecordId id) {
  User* login = context.store.find_user(id, UserKind::student_login);
  if (login == nullptr) {
    throw not_found_error();
  }
  return *login;
}

// Returns the eight preferences when the payload has any of them, or
// nullopt when it has none. The document asks clients to "pass ALL
// notification preferences you want turned ON", so an absent key is 0
// once any is sent.
std::optional<std::array<bool, kNotificationPrefNames.size()>> requested_prefs(
    const Payload& payload) {
  const bool any_present = std::any_of(kNotificationPrefNames.begin(), kNotificationPrefNames.end(),
                                       [&](std::string_view name) { return payload.has(name); });
  if (!any_present) {
    return std::nullopt;
  }

  std::array<bool, kNotificationPrefNames.size()> prefs{};
  for (std::size_t index = 0; index < prefs.size(); ++index) {
    prefs[index] = payload.flag(kNotificationPrefNames[index]).value_or(false);
  }
  return prefs;
}

}  // namespace

Response list_student_logins(const ApiContext& context, const QueryParams& params) {
  const ListQuery query = parse_list_query(params, kSortFields);

  std::vector<SortEntry> entries;
  for (const auto& [id, user] : context.store.users()) {
    if (user.kind == UserKind::student_login) {
      entries.push_back({sort_key(user, query.sort), id});
    }
  }

  Page page = select_page(std::move(entries), query);
  nlohmann::json data = nlohmann::json::array();
  for (const RecordId id : page.ids) {
    data.push_back(student_login_record(context.store, find_login(context, id), query.objects));
  }

  Response response = data_response("Success, Student-Login Users Attached.", std::move(data));
  response.body["meta"] = std::move(page.meta);
  return response;
}

Response get_student_login(const ApiContext& context, RecordId id, const QueryParams& params) {
  const User& login = find_login(context, id);
  return data_response("Success, Student-Login User Attached.",
                       student_login_record(context.store, login, parse_objects(params)));
}

User& create_student_login(const ApiContext& context, const Payload& payload) {
  User login;
  login.kind = UserKind::student_login;
  read_new_user_fields(context.store, payload, login);
  const auto links = requested_links(context.store, payload);
  if (!links || links->empty()) {
    throw validation_error(
        "linked_student_ids is required: a new student-login must be linked to at least one "
        "existing student");
  }
  if (const auto prefs = requested_prefs(payload)) {
    login.notification_prefs = *prefs;
  }

  login.created_at = context.now;
  login.updated_at = context.now;
  User& stored = context.store.add_user(std::move(login));
  context.store.replace_links(stored.id, *links);
  return stored;
}

Response post_student_login(const ApiContext& context, const Payload& payload) {
  const User& login = create_student_login(context, payload);
  return data_response(
      "Success, new student-login user added. User not sent a registration email since SSO is "
      "On.",
      student_login_write_data(context.store, login));
}

Response put_student_login(const ApiContext& context, RecordId id, const Payload& payload) {
  User& login = find_login(context, id);

  User changed = login;
  apply_user_field_changes(context.store, payload, changed);
  if (const auto prefs = requested_prefs(payload)) {
    changed.notification_prefs = *prefs;
  }
  const auto links = requested_links(context.store, payload);

  // Validation is complete, so nothing below can leave a half-applied change.
  bool modified = changed != login;
  login = std::move(changed);
  if (links && context.store.replace_links(id, *links)) {
    modified = true;
  }
  if (modified) {
    login.updated_at = context.now;
  }

  return data_response("Success, student-login updated. New data attached",
                       student_login_write_data(context.store, login));
}

}  // namespace fake_blink
