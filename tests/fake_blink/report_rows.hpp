// The rows of Blink's two reports. Blink computes them nightly in a store
// of their own, so the fake keeps them apart from the records and a test
// seeds them through POST /_control/reports.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include "records.hpp"

namespace fake_blink {

struct ReportRows {
  std::map<RecordId, nlohmann::json> events;    // by the row's "id"
  std::map<RecordId, nlohmann::json> sessions;  // by the row's "id"
};

// Upserts {"events":[row...],"sessions":[row...]} by each row's integer
// "id" and returns how many rows of each were stored. Times are given in
// UTC as "YYYY-MM-DD HH:MM:SS"; any other value is sent back as it is, so a
// test can seed a value Blink's reader must reject. Throws
// std::invalid_argument for a body of another shape.
nlohmann::json seed_report_rows(ReportRows& rows, const nlohmann::json& document);

// Returns the row as GET /v1/reports/<report> sends it: its UTC times in
// `zone`, each in the shape the API document shows for its key.
nlohmann::json localise_report_row(std::string_view report, const nlohmann::json& row,
                                   const date::time_zone& zone);

// Returns the day in `zone` of the row's range key (start for events,
// session_created_at for sessions), or nullopt when that value is not a
// UTC time.
std::optional<date::sys_days> report_row_day(std::string_view report, const nlohmann::json& row,
                                             const date::time_zone& zone);

}  // namespace fake_blink
