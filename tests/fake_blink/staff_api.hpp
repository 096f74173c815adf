// Endpoints under /v1/staff. DELETE there also removes student-logins,
// because the document gives /v1/staff/{studentLoginId} as their DELETE.
#pragma once

#include "api_context.hpp"
#include "http_types.hpp"
#include "list_query.hpp"
#include "payload.hpp"

namespace fake_blink {

Response list_staff(const ApiContext& context, const QueryParams& params);
Response get_staff(const ApiContext& context, RecordId id, const QueryParams& params);

// Validates `payload` like POST /v1/staff and inserts the staff user.
// Throws a 406 ApiError and changes nothing when a field is invalid.
User& create_staff(const ApiContext& context, const Payload& payload);

Response post_staff(const ApiContext& context, const Payload& payload);
Response put_staff(const ApiContext& context, RecordId id, const Payload& payload);

// Deletes the staff user or student-login with `id`, with its links.
Response delete_user(const ApiContext& context, RecordId id);

}  // namespace fake_blink
