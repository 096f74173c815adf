#include "report_rows.hpp"

#include <array>
#include <cstdio>
#include <span>
#include <stdexcept>

#include "timestamps.hpp"

namespace fake_blink {
namespace {

using nlohmann::json;

// The shapes of the report times in the API document's examples.
enum class TimeShape {
  plain,           // "2018-04-05 08:15:00"
  month_name,      // "Apr 13, 2019,  9:28 am"
  numeric_clock,   // "2018-1-31, 10:07 am " (with the trailing space)
};

struct TimeKey {
  std::string_view key;
  TimeShape shape;
};

constexpr std::array<TimeKey, 4> kEventTimes = {{
    {"start", TimeShape::plain},
    {"end", TimeShape::plain},
    {"created_at", TimeShape::month_name},
    {"updated_at", TimeShape::month_name},
}};

// NOTE: the document shows only null for session_recording_deleted_at, so
// its shape is a guess.
constexpr std::array<TimeKey, 4> kSessionTimes = {{
    {"session_created_at", TimeShape::plain},
    {"staff_joined_session", TimeShape::numeric_clock},
    {"student_joined_session", TimeShape::numeric_clock},
    {"session_recording_deleted_at", TimeShape::plain},
}};

constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::map<RecordId, json>& rows_of(ReportRows& rows, std::string_view report) {
  return report == "events" ? rows.events : rows.sessions;
}

// Parses "YYYY-MM-DD HH:MM:SS" read as UTC.
std::optional<Timestamp> parse_utc(const json& value) {
  if (!value.is_string()) {
    return std::nullopt;
  }
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int consumed = 0;
  const auto& text = value.get_ref<const std::string&>();
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u %2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second,
                  &consumed) != 6 ||
      static_cast<std::size_t>(consumed) != text.size()) {
    return std::nullopt;
  }
  const date::year_month_day calendar_day{date::year{year}, date::month{month}, date::day{day}};
  if (!calendar_day.ok()) {
    return std::nullopt;
  }
  return date::sys_days{calendar_day} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

std::string format_local(Timestamp time, TimeShape shape, const date::time_zone& zone) {
  const auto local = zone.to_local(time);
  const auto day_start = date::floor<date::days>(local);
  const date::year_month_day calendar_day{day_start};
  const date::hh_mm_ss clock{local - day_start};
  if (shape == TimeShape::plain) {
    return date::format("%Y-%m-%d %H:%M:%S", local);
  }

  const auto hour24 = static_cast<int>(clock.hours().count());
  const int hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12;
  const char* meridiem = hour24 < 12 ? "am" : "pm";
  std::array<char, 48> text{};
  if (shape == TimeShape::month_name) {
    std::snprintf(text.data(), text.size(), "%s %u, %d,  %d:%02d %s",
                  kMonthNames[static_cast<unsigned>(calendar_day.month()) - 1].data(),
                  static_cast<unsigned>(calendar_day.day()), static_cast<int>(calendar_day.year()), hour12,
                  static_cast<int>(clock.minutes().count()), meridiem);
  } else {
    std::snprintf(text.data(), text.size(), "%d-%u-%u, %d:%02d %s ", static_cast<int>(calendar_day.year()),
                  static_cast<unsigned>(calendar_day.month()), static_cast<unsigned>(calendar_day.day()), hour12,
                  static_cast<int>(clock.minutes().count()), meridiem);
  }
  return text.data();
}

}  // namespace

json seed_report_rows(ReportRows& rows, const json& document) {
  if (!document.is_object()) {
    throw std::invalid_argument("reports body must be an object with \"events\" and/or \"sessions\" arrays");
  }
  json stored = json::object();
  for (const std::string_view report : {"events", "sessions"}) {
    const auto list = document.find(report);
    if (list == document.end()) {
      continue;
    }
    if (!list->is_array()) {
      throw std::invalid_argument("reports." + std::string{report} + " must be an array of rows");
    }
    for (const auto& row : *list) {
      if (!row.is_object() || !row.contains("id") || !row["id"].is_number_integer()) {
        throw std::invalid_argument("every " + std::string{report} + " row must be an object with an integer id");
      }
      rows_of(rows, report)[row["id"].get<RecordId>()] = row;
    }
    stored[std::string{report}] = list->size();
  }
  return stored;
}

json localise_report_row(std::string_view report, const json& row, const date::time_zone& zone) {
  json localised = row;
  const auto keys = report == "events" ? std::span<const TimeKey>(kEventTimes) : std::span<const TimeKey>(kSessionTimes);
  for (const auto& time_key : keys) {
    const auto found = row.find(time_key.key);
    if (found == row.end()) {
      continue;
    }
    if (const auto time = parse_utc(*found)) {
      localised[std::string{time_key.key}] = format_local(*time, time_key.shape, zone);
    }
  }
  return localised;
}

std::optional<date::sys_days> report_row_day(std::string_view report, const json& row, const date::time_zone& zone) {
  const auto found = row.find(report == "events" ? "start" : "session_created_at");
  if (found == row.end()) {
    return std::nullopt;
  }
  const auto time = parse_utc(*found);
  if (!time) {
    return std::nullopt;
  }
  return date::sys_days{date::floor<date::days>(zone.to_local(*time)).time_since_epoch()};
}

}  // namespace fake_blink
