// JSON shapes of records as the API document shows them, including its
// inconsistencies on purpose: top-level timestamps are objects in GET
// lists but nested timestamps are plain text, and the POST and PUT
// responses of one entity carry different fields.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "records.hpp"
#include "store.hpp"

namespace fake_blink {

// Returns the value, or JSON null when the optional is empty: the API
// document shows null for fields such as location_id and discharged.
template <typename T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

using ObjectNames = std::set<std::string, std::less<>>;

// Top-level records of GET responses, with the nested `objects` requested.
// Staff objects: students, studentsWithLinkedStudentLogins, permissions.
// Student objects: linkedStudentLogins, linkedStaff.
// Student-login objects: students, notificationPrefs.
nlohmann::json staff_record(const Store& store, const User& staff, const ObjectNames& objects);
nlohmann::json student_record(const Store& store, const Student& student,
                              const ObjectNames& objects);
nlohmann::json student_login_record(const Store& store, const User& login,
                                    const ObjectNames& objects);

// `data` of staff POST and PUT: the user with students and permissions.
nlohmann::json staff_write_data(const Store& store, const User& staff);

// `data` of student POST and of student PUT, which the document shows with
// different fields.
nlohmann::json student_created_data(const Student& student);
nlohmann::json student_updated_data(const Student& student);

// `data` of student-login POST and PUT: the user with students and
// notificationPrefs.
nlohmann::json student_login_write_data(const Store& store, const User& login);

// Permissions that are on, each as {"name":...,"get":1,"post":1,"update":1,"delete":1}.
nlohmann::json permissions_json(const User& staff);

// The eight notification preferences as 0/1 values.
nlohmann::json notification_prefs_json(const User& login);

}  // namespace fake_blink
