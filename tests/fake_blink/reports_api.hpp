// GET /v1/reports/events and GET /v1/reports/sessions.
#pragma once

#include <string_view>

#include "http_types.hpp"
#include "report_rows.hpp"
#include "request_target.hpp"

namespace fake_blink {

// Runs a request whose path starts with /v1/reports. Follows the API
// document: timezone is required (and must be a valid zone) for both
// reports, rangeStart and rangeEnd (YYYY-MM-DD) for events; a missing or
// invalid parameter is a 406. Rows are filtered by the local day of their
// start (events) or session_created_at (sessions), by status when given,
// sorted and paged like the other lists, with their times in the requested
// zone.
Response route_report_request(const ReportRows& rows, std::string_view method, const RequestTarget& target);

}  // namespace fake_blink
