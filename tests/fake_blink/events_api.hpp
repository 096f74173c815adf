// The events (schedule) endpoints: GET per staff, student or
// student-login, POST /v1/events, PUT and DELETE /v1/events/{id}, with the
// document's validation and series rules.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "api_context.hpp"
#include "http_types.hpp"
#include "request_target.hpp"

namespace fake_blink {

// Handles a /v1/events target. Returns 404 for an unknown path, 405 for a
// method the path does not support, and the status of an ApiError.
Response route_events(const ApiContext& context, std::string_view method, const RequestTarget& target,
                      std::string_view body);

// Returns every event for /_control/state, with UTC start and end.
nlohmann::json events_snapshot(const Store& store);

}  // namespace fake_blink
