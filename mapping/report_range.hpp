#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blink_sync {

// Calendar days [first, last], both included, in the zone the reports are
// read in (Blink's rangeStart and rangeEnd).
struct DayRange {
  std::chrono::sys_days first;
  std::chrono::sys_days last;

  bool operator==(const DayRange&) const = default;
};

struct RangePlanInput {
  std::optional<std::chrono::sys_days> imported_through;  // the last day of the last complete range
  std::chrono::sys_days start_date;                       // where the first import starts
  int overlap_days = 2;                                   // days before imported_through read again
  std::chrono::sys_days today;
  int max_days_per_range = 31;
};

// Plans the ranges of one import: from imported_through minus the overlap
// (never before start_date) up to today, in ranges of at most
// max_days_per_range days, oldest first. Returns no range when that start
// lies after today.
std::vector<DayRange> plan_report_ranges(const RangePlanInput& input);

// Formats a day as YYYY-MM-DD.
std::string format_day(std::chrono::sys_days day);

// Parses YYYY-MM-DD; returns nullopt for another shape or an impossible date.
std::optional<std::chrono::sys_days> parse_day(std::string_view text);

}  // namespace blink_sync
