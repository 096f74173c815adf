#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mapping/event_record.hpp"
#include "mapping/roster_row.hpp"

namespace blink_sync {

// The columns the events query may return (docs/roster-queries.md), and
// those it must return.
const std::vector<std::string_view>& event_columns();
const std::vector<std::string_view>& required_event_columns();

// Returns the columns the events query must return but `columns` lacks:
// the required ones, timezone unless there is a default time zone, and
// minutes unless all_day is returned.
std::vector<std::string> missing_event_columns(const ColumnSet& columns, bool has_default_timezone);

// Validates one row of the events query. `default_timezone` is used for a
// row without a time zone. Returns the appointment, or an error naming the
// column, the value (never a name or title) and what to do.
std::variant<DesiredEvent, EventError> parse_event_row(const RosterRow& row,
                                                       const std::optional<std::string>& default_timezone);

// Splits a list of local ids: "3,7", "{3,7}" (a PostgreSQL array) or a
// single id. Spaces around ids and empty entries are dropped; the result
// is sorted, without repeats.
std::vector<std::string> split_local_ids(std::string_view text);

}  // namespace blink_sync
