// Routing of /v1 requests to the staff, student and student-login endpoints.
#pragma once

#include <string_view>

#include "api_context.hpp"
#include "http_types.hpp"
#include "request_target.hpp"

namespace fake_blink {

// Runs the endpoint for `method` and `target`, whose first segment is "v1".
// Returns 404 for an unknown path, 405 with an Allow header for a method
// the path does not support, and the status of any ApiError the endpoint
// throws. Other exceptions propagate.
Response route_api_request(const ApiContext& context, std::string_view method,
                           const RequestTarget& target, std::string_view body);

// Returns the entity name of a /v1 target for statistics, e.g. "staff",
// or "" when the path has no second segment.
std::string_view api_entity_name(const RequestTarget& target);

}  // namespace fake_blink
