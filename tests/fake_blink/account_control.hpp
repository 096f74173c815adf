// POST /_control/account: changes what a Blink user changes outside the
// API, such as activating the account or a new join link, so tests can
// show the daemon an edit it did not make.
#pragma once

#include <nlohmann/json.hpp>

#include "api_context.hpp"

namespace fake_blink {

// Applies {"id": N, "activated": "Yes"|"No", "join_by_link": "..."} (either
// key may be left out; join_by_link is for staff only) to the user with id
// N, sets its updated_at to the request's time, and returns the user's new
// values. Throws std::invalid_argument for an unknown id or a bad value.
nlohmann::json edit_account(const ApiContext& context, const nlohmann::json& body);

}  // namespace fake_blink
