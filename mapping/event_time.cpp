#include "mapping/event_time.hpp"

#include <date/tz.h>


namespace blink_sync {
namespace {

std::optional<int> digits(std::string_view text, std::size_t offset, std::size_t count) {
  if (offset + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = offset; i < offset + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

const date::time_zone* find_zone(std::string_view zone) {
  if (zone.empty() || zone.find("..") != std::string_view::npos || zone.front() == '/') {
    return nullptr;
  }
  try {
    return date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::optional<LocalTime> parse_wall_time(std::string_view text) {
  if (text.size() < 16 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T') ||
      text[13] != ':') {
    return std::nullopt;
  }
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  std::optional<int> second = 0;
  if (text.size() > 16) {
    if (text[16] != ':' || text.size() < 19) {
      return std::nullopt;
    }
    second = digits(text, 17, 2);
    if (text.size() > 19 && text[19] != '.') {
      return std::nullopt;
    }
  }
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }

  const date::year_month_day calendar{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                      date::day{static_cast<unsigned>(*day)}};
  if (!calendar.ok()) {
    return std::nullopt;
  }
  return date::local_days{calendar} + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

std::string format_wall_minutes(LocalTime time) {
  return date::format("%Y-%m-%d %H:%M", std::chrono::floor<std::chrono::minutes>(time));
}

std::string format_utc(UtcTime time) { return date::format("%Y-%m-%d %H:%M:%S", time); }

std::string format_day(date::sys_days day) { return date::format("%Y-%m-%d", day); }

std::variant<UtcTime, std::string> to_utc(LocalTime time, std::string_view zone) {
  const auto* found = find_zone(zone);
  if (found == nullptr) {
    return "\"" + std::string(zone) + "\" is not a time zone name the tz database knows (such as America/Denver)";
  }

  const auto info = found->get_info(time);
  switch (info.result) {
    case date::local_info::unique:
      return UtcTime{time.time_since_epoch() - info.first.offset};
    case date::local_info::ambiguous:
      return UtcTime{time.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:
      break;
  }
  return format_wall_minutes(time) + " does not exist in " + std::string(zone) +
         " because the clocks skip it (daylight saving time begins); choose another start";
}

std::optional<LocalTime> to_local(UtcTime time, std::string_view zone) {
  const auto* found = find_zone(zone);
  if (found == nullptr) {
    return std::nullopt;
  }
  return found->to_local(time);
}

LocalTime occurrence_start(LocalTime first, int frequency_weeks, int index) {
  return first + date::days(7 * frequency_weeks * index);
}

}  // namespace blink_sync
