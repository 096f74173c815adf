#include "record_json.hpp"

#include "timestamps.hpp"

namespace fake_blink {
namespace {

// Blink's id of the organisation that owns the API token.
constexpr int kOrganisationId = 1;

using nlohmann::json;

json nested_student(const Student& student) {
  return {
      {"id", student.id},
      {"first_name", student.first_name},
      {"last_name", student.last_name},
      {"date_of_birth", student.date_of_birth},
      {"student_timezone", student.student_timezone},
      {"organization_id", kOrganisationId},
      {"location_id", optional_json(student.location_id)},
      {"discharged", optional_json(student.discharged)},
      {"notes", student.notes},
      {"created_at", format_plain_timestamp(student.created_at)},
      {"updated_at", format_plain_timestamp(student.updated_at)},
      {"deleted_at", nullptr},
      {"location", ""},
      {"student_location", nullptr},
  };
}

// Display names of the staff linked to the student, joined by " | ".
std::string teacher_names(const Store& store, const Student& student) {
  std::string names;
  for (const RecordId staff_id : store.linked_user_ids(student.id, UserKind::staff)) {
    names += (names.empty() ? "" : " | ") + store.find_user(staff_id, UserKind::staff)->display_name;
  }
  return names;
}

json linked_student(const Store& store, const Student& student, RecordId user_id) {
  json record = nested_student(student);
  record["users_role_teacher_one_string"] = teacher_names(store, student);
  record["pivot"] = {{"user_id", user_id}, {"student_id", student.id}};
  return record;
}

json nested_user(const User& user) {
  return {
      {"id", user.id},
      {"first_name", user.first_name},
      {"last_name", user.last_name},
      {"display_name", user.display_name},
      {"email", user.email},
      {"phone", user.phone},
      {"user_timezone", optional_json(user.user_timezone)},
      {"organization_id", kOrganisationId},
      {"created_at", format_plain_timestamp(user.created_at)},
      {"updated_at", format_plain_timestamp(user.updated_at)},
      {"deleted_at", nullptr},
      {"activated", user.activated},
  };
}

json linked_students(const Store& store, const User& user) {
  json students = json::array();
  for (const RecordId id : store.linked_student_ids(user.id)) {
    students.push_back(linked_student(store, *store.find_student(id), user.id));
  }
  return students;
}

json students_with_logins(const Store& store, const User& staff) {
  json students = json::array();
  for (const RecordId student_id : store.linked_student_ids(staff.id)) {
    const Student& student = *store.find_student(student_id);
    json logins = json::array();
    for (const RecordId login_id : store.linked_user_ids(student_id, UserKind::student_login)) {
      json login = nested_user(*store.find_user(login_id, UserKind::student_login));
      login["user_availability"] = nullptr;
      login["new_email_not_validated"] = nullptr;
      login["pivot"] = {{"student_id", student_id}, {"user_id", login_id}};
      logins.push_back(std::move(login));
    }

    json record = linked_student(store, student, staff.id);
    record["linked_student_logins"] = std::move(logins);
    students.push_back(std::move(record));
  }
  return students;
}

json linked_users(const Store& store, const Student& student, UserKind kind) {
  json users = json::array();
  for (const RecordId id : store.linked_user_ids(student.id, kind)) {
    users.push_back(nested_user(*store.find_user(id, kind)));
  }
  return users;
}

}  // namespace

json permissions_json(const User& staff) {
  json permissions = json::array();
  for (std::size_t index = 0; index < kPermissionNames.size(); ++index) {
    if (staff.permissions[index]) {
      permissions.push_back({{"name", kPermissionNames[index]},
                             {"get", 1},
                             {"post", 1},
                             {"update", 1},
                             {"delete", 1}});
    }
  }
  return permissions;
}

json notification_prefs_json(const User& login) {
  json prefs = json::object();
  for (std::size_t index = 0; index < kNotificationPrefNames.size(); ++index) {
    prefs[std::string{kNotificationPrefNames[index]}] = login.notification_prefs[index] ? 1 : 0;
  }
  return prefs;
}

json staff_record(const Store& store, const User& staff, const ObjectNames& objects) {
  json record = {
      {"id", staff.id},
      {"first_name", staff.first_name},
      {"last_name", staff.last_name},
      {"display_name", staff.display_name},
      {"email", staff.email},
      {"phone", staff.phone},
      {"user_timezone", optional_json(staff.user_timezone)},
      {"new_email_not_validated", ""},
      {"user_availability", nullptr},
      {"created_at", format_timestamp_object(staff.created_at)},
      {"updated_at", format_timestamp_object(staff.updated_at)},
      {"deleted_at", nullptr},
      {"activated", staff.activated},
      {"join_by_link", staff.join_by_link},
  };

  if (objects.contains("students")) {
    record["students"] = linked_students(store, staff);
  }
  if (objects.contains("studentsWithLinkedStudentLogins")) {
    record["studentsWithLinkedStudentLogins"] = students_with_logins(store, staff);
  }
  if (objects.contains("permissions")) {
    record["permissions"] = permissions_json(staff);
  }
  return record;
}

json student_record(const Store& store, const Student& student, const ObjectNames& objects) {
  json record = nested_student(student);
  record.erase("location");
  record.erase("student_location");
  record["created_at"] = format_timestamp_object(student.created_at);
  record["updated_at"] = format_timestamp_object(student.updated_at);

  if (objects.contains("linkedStudentLogins")) {
    record["linkedStudentLogins"] = linked_users(store, student, UserKind::student_login);
  }
  // NOTE: the document lists linkedStaff without an example; its records
  // take the shape of linkedStudentLogins here.
  if (objects.contains("linkedStaff")) {
    record["linkedStaff"] = linked_users(store, student, UserKind::staff);
  }
  return record;
}

json student_login_record(const Store& store, const User& login, const ObjectNames& objects) {
  json record = nested_user(login);
  record["created_at"] = format_timestamp_object(login.created_at);
  record["updated_at"] = format_timestamp_object(login.updated_at);
  record["new_email_not_validated"] = nullptr;
  record["trial_ends_at"] = nullptr;

  if (objects.contains("students")) {
    json students = json::array();
    for (const RecordId id : store.linked_student_ids(login.id)) {
      students.push_back(nested_student(*store.find_student(id)));
    }
    record["students"] = std::move(students);
  }
  if (objects.contains("notificationPrefs")) {
    record["notificationPrefs"] = notification_prefs_json(login);
  }
  return record;
}

json staff_write_data(const Store& store, const User& staff) {
  return {
      {"id", staff.id},
      {"first_name", staff.first_name},
      {"last_name", staff.last_name},
      {"display_name", staff.display_name},
      {"email", staff.email},
      {"phone", staff.phone},
      {"user_timezone", optional_json(staff.user_timezone)},
      {"students", linked_students(store, staff)},
      {"permissions", permissions_json(staff)},
  };
}

json student_created_data(const Student& student) {
  return {
      {"id", student.id},
      {"first_name", student.first_name},
      {"last_name", student.last_name},
      {"date_of_birth", student.date_of_birth},
      {"notes", student.notes},
      {"organization_id", kOrganisationId},
      {"student_timezone", student.student_timezone},
      {"created_at", format_plain_timestamp(student.created_at)},
      {"updated_at", format_plain_timestamp(student.updated_at)},
      {"location", ""},
  };
}

json student_updated_data(const Student& student) {
  return {
      {"id", student.id},
      {"first_name", student.first_name},
      {"last_name", student.last_name},
      {"date_of_birth", student.date_of_birth},
      {"location", ""},
      {"location_id", optional_json(student.location_id)},
      {"discharged", optional_json(student.discharged)},
      {"student_timezone", student.student_timezone},
      {"notes", student.notes},
  };
}

json student_login_write_data(const Store& store, const User& login) {
  return {
      {"id", login.id},
      {"first_name", login.first_name},
      {"last_name", login.last_name},
      {"email", login.email},
      {"phone", login.phone},
      {"students", linked_students(store, login)},
      {"notificationPrefs", notification_prefs_json(login)},
  };
}

}  // namespace fake_blink
