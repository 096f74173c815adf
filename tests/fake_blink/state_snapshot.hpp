// The whole store as one JSON document, for assertions in tests.
#pragma once

#include <nlohmann/json.hpp>

#include "store.hpp"

namespace fake_blink {

// Returns {"students":[...],"staff":[...],"student_logins":[...],"links":[...]}.
// Records use the POST field names plus id, timestamps as plain
// "YYYY-MM-DD HH:MM:SS" text, and their links as id lists: students carry
// linked_staff_ids and linked_student_login_ids, users linked_student_ids.
// Staff carry "permissions" and student-logins "notification_prefs", each
// an object of 0/1 values by name.
nlohmann::json state_snapshot(const Store& store);

}  // namespace fake_blink
