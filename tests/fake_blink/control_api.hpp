// The test control API under /_control/: no token, no rate limit, not
// counted in the statistics. Responses are plain JSON, not the Blink
// status envelope. Errors are {"error": message} with status 400, 404 or 405.
//
//   GET    /_control/stats       request counters (RequestStats::to_json)
//   GET    /_control/state       the whole store (state_snapshot) plus
//                                "rate_limit" and the armed "faults"
//   POST   /_control/reset       empty the store and the report rows, restart the id sequences,
//                                clear counters, faults, the rate window and
//                                any lock-out; keep the token and the limit
//   POST   /_control/seed        insert records (seed_store), return their ids
//   GET    /_control/faults      the armed fault rules
//   POST   /_control/faults      arm more fault rules (FaultInjector::parse_rules)
//   DELETE /_control/faults      disarm every fault rule
//   POST   /_control/rate-limit  {"limit":N} sets the limit; 0 disables it
//   POST   /_control/reports     upsert report rows {"events":[...],"sessions":[...]}
//                                with times in UTC (seed_report_rows)
//   GET    /_control/reports     the stored report rows, as seeded
//   POST   /_control/account     change a user's activated or join_by_link
//                                (edit_account)
#pragma once

#include <string_view>

#include "api_context.hpp"
#include "fake_blink_state.hpp"
#include "http_types.hpp"
#include "request_target.hpp"

namespace fake_blink {

// Handles a request whose first path segment is "_control". `context`
// must refer to `state.store`.
Response handle_control_request(FakeBlinkState& state, const ApiContext& context,
                                 std::string_view method, const RequestTarget& target,
                                 std::string_view body);

}  // namespace fake_blink
