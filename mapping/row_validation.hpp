#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/desired_record.hpp"
#include "mapping/entity.hpp"
#include "mapping/roster_row.hpp"

namespace blink_sync {

// Inputs that row validation takes from outside: today's date, the configured
// fallback time zone and a way to recognise time zone names.
struct ValidationContext {
  std::chrono::year_month_day today;
  std::optional<std::string> default_timezone;
  std::function<bool(std::string_view)> is_known_timezone;
};

// Maximum length, in characters, of a name, email, phone or id. NOTE: the API
// document gives no field sizes; 255 is the usual VARCHAR size of the
// framework Blink's responses come from, so longer values are rejected as
// record errors rather than risk a silent truncation in Blink.
inline constexpr std::size_t kMaxShortText = 255;
// Maximum length of student notes, in bytes (a MySQL TEXT column).
inline constexpr std::size_t kMaxNotesBytes = 65535;

// The outcome of validating one row: a record, or the problems found. The
// local id is filled in whenever the row had a usable one, valid or not.
struct RowResult {
  std::string local_id;
  std::optional<DesiredRecord> record;
  std::vector<std::string> problems;
};

// Validates one row of the students, student_logins or staff query and
// converts it to canonical field values. Problems name the column and the
// rule, never the value, because they are logged at error level.
RowResult validate_row(Entity entity, const RosterRow& row, const ValidationContext& context);

// Parses a roster flag: true/false, t/f, 1/0, yes/no, y/n, on/off, in any case.
std::optional<bool> parse_flag(std::string_view text);

// Parses a roster date `YYYY-MM-DD` (a timestamp's time part is ignored) and
// returns it as Blink's `MM/DD/YYYY`, or nullopt when it is no real date.
std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);
std::string format_blink_date(std::chrono::year_month_day date);

}  // namespace blink_sync
