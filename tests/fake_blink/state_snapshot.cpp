#include "state_snapshot.hpp"

#include "events_api.hpp"
#include "record_json.hpp"
#include "timestamps.hpp"

namespace fake_blink {
namespace {

using nlohmann::json;

json student_snapshot(const Store& store, const Student& student) {
  return {
      {"id", student.id},
      {"first_name", student.first_name},
      {"last_name", student.last_name},
      {"date_of_birth", student.date_of_birth},
      {"student_timezone", student.student_timezone},
      {"notes", student.notes},
      {"location_id", optional_json(student.location_id)},
      {"discharged", optional_json(student.discharged)},
      {"created_at", format_plain_timestamp(student.created_at)},
      {"updated_at", format_plain_timestamp(student.updated_at)},
      {"linked_staff_ids", store.linked_user_ids(student.id, UserKind::staff)},
      {"linked_student_login_ids", store.linked_user_ids(student.id, UserKind::student_login)},
  };
}

json user_snapshot(const Store& store, const User& user) {
  json snapshot = {
      {"id", user.id},
      {"first_name", user.first_name},
      {"last_name", user.last_name},
      {"display_name", user.display_name},
      {"email", user.email},
      {"phone", user.phone},
      {"user_timezone", optional_json(user.user_timezone)},
      {"activated", user.activated},
      {"created_at", format_plain_timestamp(user.created_at)},
      {"updated_at", format_plain_timestamp(user.updated_at)},
      {"linked_student_ids", store.linked_student_ids(user.id)},
  };

  if (user.kind == UserKind::staff) {
    snapshot["join_by_link"] = user.join_by_link;
    snapshot["permissions"] = json::object();
    for (std::size_t index = 0; index < kPermissionNames.size(); ++index) {
      snapshot["permissions"][std::string{kPermissionNames[index]}] = user.permissions[index] ? 1 : 0;
    }
  } else {
    snapshot["notification_prefs"] = notification_prefs_json(user);
  }
  return snapshot;
}

}  // namespace

json state_snapshot(const Store& store) {
  json state = {{"students", json::array()},
                {"staff", json::array()},
                {"student_logins", json::array()},
                {"links", json::array()}};

  for (const auto& [id, student] : store.students()) {
    state["students"].push_back(student_snapshot(store, student));
  }
  for (const auto& [id, user] : store.users()) {
    const char* list = user.kind == UserKind::staff ? "staff" : "student_logins";
    state[list].push_back(user_snapshot(store, user));
  }
  for (const auto& [user_id, student_id] : store.links()) {
    state["links"].push_back({{"user_id", user_id}, {"student_id", student_id}});
  }
  state["events"] = events_snapshot(store);
  return state;
}

}  // namespace fake_blink
