// Endpoints under /v1/students.
#pragma once

#include "api_context.hpp"
#include "http_types.hpp"
#include "list_query.hpp"
#include "payload.hpp"

namespace fake_blink {

Response list_students(const ApiContext& context, const QueryParams& params);
Response get_student(const ApiContext& context, RecordId id, const QueryParams& params);

// Validates `payload` like POST /v1/students and inserts the student.
// Throws a 406 ApiError and changes nothing when a field is invalid or the
// student is a duplicate.
Student& create_student(const ApiContext& context, const Payload& payload);

Response post_student(const ApiContext& context, const Payload& payload);
Response put_student(const ApiContext& context, RecordId id, const Payload& payload);

// Deletes the student and every link to it.
Response delete_student(const ApiContext& context, RecordId id);

}  // namespace fake_blink
