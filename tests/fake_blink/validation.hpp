// Field rules shared by the staff, student and student-login endpoints.
// Every function throws a 406 ApiError whose message names the field.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "payload.hpp"
#include "records.hpp"
#include "store.hpp"

namespace fake_blink {

// Returns the text of a field that a POST must carry: "<key> is required"
// when it is absent or blank.
std::string required_text(const Payload& payload, std::string_view key);

// Returns the new text of a field that is required on POST and optional on
// PUT. Absent stays absent, but a blank value is rejected as on POST.
std::optional<std::string> changed_required_text(const Payload& payload, std::string_view key);

// Rejects a name that is not in the IANA time zone database.
void check_timezone(std::string_view key, std::string_view name);

// Rejects a date that is not MM/DD/YYYY or not a real calendar day.
void check_date_of_birth(std::string_view value);

// Rejects an email without a local part and a dotted domain.
void check_email_format(std::string_view email);

// Rejects an email that another user (staff or student-login) has,
// compared case-insensitively. `except` is the user being updated.
void check_email_unique(const Store& store, std::string_view email,
                        std::optional<RecordId> except);

// Returns `ids` as a set after checking that each is an existing student.
std::set<RecordId> existing_student_ids(const Store& store, std::string_view key,
                                        const std::vector<std::int64_t>& ids);

}  // namespace fake_blink
