#pragma once

#include <string>

namespace blink_sync::testing {

// The smallest valid configuration: a database URL and the five roster
// queries. Tests append the section they check.
inline const std::string kMinimalConfig =
    "database:\n"
    "  url: \"postgresql://blink_sync@localhost/school\"\n"
    "roster:\n"
    "  students: \"SELECT 1\"\n"
    "  student_logins: \"SELECT 1\"\n"
    "  staff: \"SELECT 1\"\n"
    "  staff_students: \"SELECT 1\"\n"
    "  login_students: \"SELECT 1\"\n";

}  // namespace blink_sync::testing
