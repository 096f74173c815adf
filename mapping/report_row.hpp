#pragma once

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blink_sync {

// The two attendance reports Blink computes nightly.
enum class ReportKind { events, sessions };

inline constexpr ReportKind kReportKinds[] = {ReportKind::events, ReportKind::sessions};

// Returns "events" or "sessions", the last segment of the report's path.
std::string_view report_name(ReportKind kind);

// Returns the report named `name`, or nullopt.
std::optional<ReportKind> report_from_name(std::string_view name);

// One typed column of a report table, besides id, raw and the bookkeeping
// columns. `sql_type` is the PostgreSQL type its text value is cast to.
struct ReportColumn {
  std::string name;
  std::string_view sql_type;
};

// Returns the typed columns of blink_sync.report_<name>, in the order of
// ReportRow::values. The migration that creates the tables must match.
const std::vector<ReportColumn>& report_columns(ReportKind kind);

// One report row, ready to store.
struct ReportRow {
  std::int64_t id = 0;
  // One value per report_columns() entry, in PostgreSQL's text input syntax
  // ("2018-04-05 14:15:00+00", "{80,81}", "true"); nullopt is NULL.
  std::vector<std::optional<std::string>> values;
  nlohmann::json raw;  // the row as Blink sent it
};

// A decoded row and the values in it that could not be read. A row with
// problems is still stored: the columns of the unreadable values are NULL
// and the values stay in `raw` (and in the *_text column of a timestamp).
// A row without a usable id has no `row`.
struct DecodedReportRow {
  std::optional<ReportRow> row;
  std::vector<std::string> problems;  // each names the report, the row id and the value
};

// Decodes one row of a report read with timezone=`zone`. Blink writes the
// row's times as local times of that zone, in several shapes; each one with
// a time of day becomes a UTC instant. A local time that a daylight-saving
// change makes ambiguous is read as the earlier instant.
DecodedReportRow decode_report_row(ReportKind kind, const nlohmann::json& item, const date::time_zone& zone);

// Reads a local date and time in any shape the reports write:
// "2018-04-05 08:15:00" (optionally with fractional seconds),
// "Apr 13, 2019,  9:28 am" and "2018-1-31, 10:07 am " (trailing space
// included). Returns nullopt for anything else, including impossible dates.
std::optional<date::local_seconds> parse_report_local_time(std::string_view text);

}  // namespace blink_sync
