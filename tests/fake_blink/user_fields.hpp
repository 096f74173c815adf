// Payload fields that staff and student-logins share, both being rows of
// Blink's one user table.
#pragma once

#include <optional>
#include <set>

#include "payload.hpp"
#include "records.hpp"
#include "store.hpp"

namespace fake_blink {

// Sets first_name, last_name, email and phone from a POST payload. All four
// are required, and the email must be valid and not used by any user.
void read_new_user_fields(const Store& store, const Payload& payload, User& user);

// Changes the shared fields present in a PUT payload, with the same checks
// as on POST. The email may stay the user's own.
void apply_user_field_changes(const Store& store, const Payload& payload, User& user);

// Returns the student ids of `linked_student_ids`, or nullopt when the key
// is absent. An empty set means "unlink all". Throws a 406 ApiError when
// an id is not an existing student.
std::optional<std::set<RecordId>> requested_links(const Store& store, const Payload& payload);

}  // namespace fake_blink
