// Bulk insertion of records for tests, behind POST /_control/seed.
#pragma once

#include <nlohmann/json.hpp>

#include "api_context.hpp"

namespace fake_blink {

// Inserts the records of {"students":[...],"staff":[...],
// "student_logins":[...]}, in that order, with the same keys and checks as
// the POST endpoints, and returns their new ids as {"students":[...],
// "staff":[...],"student_logins":[...]} in input order.
//
// Each record may also carry keys that no POST accepts: "created_at" and
// "updated_at" ("YYYY-MM-DD HH:MM:SS", organisation time), and for users
// "activated" ("Yes"/"No") and "linked_student_indexes" (positions in this
// document's "students" list, linked besides any linked_student_ids).
//
// Throws std::invalid_argument naming the record, e.g. "staff[1]: email has
// already been taken", and then leaves the store as it was.
nlohmann::json seed_store(const ApiContext& context, const nlohmann::json& document);

}  // namespace fake_blink
