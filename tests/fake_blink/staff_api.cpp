#include "staff_api.hpp"

#include <array>

#include "record_json.hpp"
#include "user_fields.hpp"
#include "validation.hpp"

namespace fake_blink {
namespace {

constexpr std::array<std::string_view, 10> kSortFields = {
    "id",       "first_name", "last_name",     "display_name", "email",
    "phone",    "activated",  "user_timezone", "created_at",   "updated_at",
};

SortValue sort_key(const User& staff, std::string_view field) {
  if (field == "created_at") return staff.created_at.time_since_epoch().count();
  if (field == "updated_at") return staff.updated_at.time_since_epoch().count();
  if (field == "first_name") return to_lower_ascii(staff.first_name);
  if (field == "last_name") return to_lower_ascii(staff.last_name);
  if (field == "display_name") return to_lower_ascii(staff.display_name);
  if (field == "email") return to_lower_ascii(staff.email);
  if (field == "phone") return to_lower_ascii(staff.phone);
  if (field == "activated") return to_lower_ascii(staff.activated);
  if (field == "user_timezone" && staff.user_timezone) return to_lower_ascii(*staff.user_timezone);
  if (field == "user_timezone") return std::monostate{};
  return staff.id;
}

// Sets each permission flag present in `payload` and leaves the others.
void apply_permission_flags(const Payload& payload, User& staff) {
  for (std::size_t index = 0; index < kPermissionNames.size(); ++index) {
    if (const auto flag = payload.flag(kPermissionNames[index])) {
      staff.permissions[index] = *flag;
    }
  }
}

User& find_staff(const ApiContext& context, RecordId id) {
  User* staff = context.store.find_user(id, UserKind::staff);
  if (staff == nullptr) {
    throw not_found_error();
  }
  return *staff;
}

}  // namespace

Response list_staff(const ApiContext& context, const QueryParams& params) {
  const ListQuery query = parse_list_query(params, kSortFields);

  std::vector<SortEntry> entries;
  for (const auto& [id, user] : context.store.users()) {
    if (user.kind == UserKind::staff) {
      entries.push_back({sort_key(user, query.sort), id});
    }
  }

  Page page = select_page(std::move(entries), query);
  nlohmann::json data = nlohmann::json::array();
  for (const RecordId id : page.ids) {
    data.push_back(staff_record(context.store, find_staff(context, id), query.objects));
  }

  Response response = data_response("Success, Staff Users Attached.", std::move(data));
  response.body["meta"] = std::move(page.meta);
  return response;
}

Response get_staff(const ApiContext& context, RecordId id, const QueryParams& params) {
  const User& staff = find_staff(context, id);
  return data_response("Success, Staff User Attached.",
                       staff_record(context.store, staff, parse_objects(params)));
}

User& create_staff(const ApiContext& context, const Payload& payload) {
  User staff;
  staff.kind = UserKind::staff;
  read_new_user_fields(context.store, payload, staff);
  staff.display_name = required_text(payload, "display_name");
  staff.user_timezone = required_text(payload, "user_timezone");
  check_timezone("user_timezone", *staff.user_timezone);
  apply_permission_flags(payload, staff);
  const auto links = requested_links(context.store, payload);

  staff.join_by_link = context.new_join_link();
  staff.created_at = context.now;
  staff.updated_at = context.now;
  User& stored = context.store.add_user(std::move(staff));

  if (links) {
    context.store.replace_links(stored.id, *links);
  }
  return stored;
}

Response post_staff(const ApiContext& context, const Payload& payload) {
  const User& staff = create_staff(context, payload);
  return data_response(
      "Success, new staff user added. User NOT sent a registration email since SSO is On.",
      staff_write_data(context.store, staff));
}

Response put_staff(const ApiContext& context, RecordId id, const Payload& payload) {
  User& staff = find_staff(context, id);

  User changed = staff;
  apply_user_field_changes(context.store, payload, changed);
  if (auto display_name = changed_required_text(payload, "display_name")) {
    changed.display_name = std::move(*display_name);
  }
  if (auto timezone = changed_required_text(payload, "user_timezone")) {
    check_timezone("user_timezone", *timezone);
    changed.user_timezone = std::move(*timezone);
  }
  apply_permission_flags(payload, changed);
  const auto links = requested_links(context.store, payload);

  // Validation is complete, so nothing below can leave a half-applied change.
  bool modified = changed != staff;
  staff = std::move(changed);
  if (links && context.store.replace_links(id, *links)) {
    modified = true;
  }
  if (modified) {
    staff.updated_at = context.now;
  }

  return data_response("Success, staff updated. New data attached",
                       staff_write_data(context.store, staff));
}

Response delete_user(const ApiContext& context, RecordId id) {
  const User* user = context.store.find_any_user(id);
  if (user == nullptr) {
    throw not_found_error();
  }

  const bool is_staff = user->kind == UserKind::staff;
  context.store.remove_user(id);
  if (is_staff) {
    return status_response(200,
                           "Success, staff deleted. Subscription price will be adjusted next "
                           "month to reflect change in the number of staff.");
  }
  return status_response(200, "Success, student-login deleted.");
}

}  // namespace fake_blink
