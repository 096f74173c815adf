// Records of the fake Blink organisation: students and users.
//
// Blink keeps staff and student-logins in one user table with one id
// sequence, so both are a `User`, distinguished by `UserKind`. Links between a
// user and a student are stored once, as (user id, student id) pairs, by
// the store.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace fake_blink {

using RecordId = std::int64_t;

// Wall-clock instant with second precision, because Blink reports
// timestamps to the second.
using Timestamp = date::sys_seconds;

// Staff permission flags in the order the API document lists them. Responses
// render the permissions that are on in this order.
inline constexpr std::array<std::string_view, 7> kPermissionNames = {
    "Organization-General-Admin",
    "Organization-User-Admin",
    "Schedule-Admin",
    "Record-Sessions",
    "Staff-Access",
    "Logins-Access",
    "Join-by-Link",
};

// Notification preferences of a student-login, in the document's order.
inline constexpr std::array<std::string_view, 8> kNotificationPrefNames = {
    "events_email",   "events_sms",   "homework_email", "homework_sms",
    "invoices_email", "invoices_sms", "msg_email",      "msg_sms",
};

struct Student {
  RecordId id = 0;
  std::string first_name;
  std::string last_name;
  std::string date_of_birth;  // MM/DD/YYYY, validated on write
  std::string student_timezone;
  std::string notes;
  std::optional<std::int64_t> location_id;
  // Null when the student was created without the flag, as in the document.
  std::optional<int> discharged;
  Timestamp created_at{};
  Timestamp updated_at{};

  bool operator==(const Student&) const = default;
};

enum class UserKind { staff, student_login };

struct User {
  RecordId id = 0;
  UserKind kind = UserKind::staff;
  std::string first_name;
  std::string last_name;
  std::string display_name;  // empty for student-logins
  std::string email;
  std::string phone;
  std::optional<std::string> user_timezone;  // null for student-logins
  std::string activated = "No";
  std::string join_by_link;  // staff only
  std::array<bool, kPermissionNames.size()> permissions{};
  std::array<bool, kNotificationPrefNames.size()> notification_prefs{};
  Timestamp created_at{};
  Timestamp updated_at{};

  bool operator==(const User&) const = default;
};

// Name of a user kind as the API paths spell it: "staff" or "student-logins".
std::string_view path_name(UserKind kind);

}  // namespace fake_blink
