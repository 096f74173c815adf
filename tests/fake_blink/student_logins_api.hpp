// Endpoints under /v1/student-logins. There is no DELETE here: the
// document deletes a student-login with DELETE /v1/staff/{id}.
#pragma once

#include "api_context.hpp"
#include "http_types.hpp"
#include "list_query.hpp"
#include "payload.hpp"

namespace fake_blink {

Response list_student_logins(const ApiContext& context, const QueryParams& params);
Response get_student_login(const ApiContext& context, RecordId id, const QueryParams& params);

// Validates `payload` like POST /v1/student-logins and inserts the login.
// Throws a 406 ApiError and changes nothing when a field is invalid or no
// existing student is linked.
User& create_student_login(const ApiContext& context, const Payload& payload);

Response post_student_login(const ApiContext& context, const Payload& payload);
Response put_student_login(const ApiContext& context, RecordId id, const Payload& payload);

}  // namespace fake_blink
