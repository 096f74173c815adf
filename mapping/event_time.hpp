#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace blink_sync {

// An instant in UTC, to the second, as events are stored.
using UtcTime = date::sys_seconds;

// A wall-clock time in some zone, before the zone is applied.
using LocalTime = date::local_seconds;

// Parses "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" (also with a "T"
// between date and time, and with fractional seconds, which are dropped),
// as a roster's timestamp column or Blink's start and end read.
std::optional<LocalTime> parse_wall_time(std::string_view text);

// Returns "YYYY-MM-DD HH:MM", the form Blink takes for an event's start.
std::string format_wall_minutes(LocalTime time);

// Returns "YYYY-MM-DD HH:MM:SS" of an instant read in UTC.
std::string format_utc(UtcTime time);

// Returns "YYYY-MM-DD" of a calendar day.
std::string format_day(date::sys_days day);

// Converts a wall-clock time in an IANA zone to UTC. A time that occurs
// twice (when the clocks go back) is the earlier instant, the one before
// the change. Returns a message for an unknown zone or a time the clocks
// skip (when they go forward), which cannot be converted.
std::variant<UtcTime, std::string> to_utc(LocalTime time, std::string_view zone);

// Returns the wall-clock time of `time` in an IANA zone; nullopt for an
// unknown zone.
std::optional<LocalTime> to_local(UtcTime time, std::string_view zone);

// Returns the start of occurrence `index` (0-based) of a series that
// starts at `first` and repeats every `frequency_weeks` weeks. The wall
// time stays the same, so the UTC instant shifts when daylight saving time
// begins or ends between two occurrences.
LocalTime occurrence_start(LocalTime first, int frequency_weeks, int index);

}  // namespace blink_sync
