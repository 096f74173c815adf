#include "mapping/blink_timestamp.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace blink_sync {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

bool all_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char character : text) {
    if (std::isdigit(static_cast<unsigned char>(character)) == 0) {
      return false;
    }
  }
  return true;
}

std::string format(int year, int month, int day, int hour, int minute, int second) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second);
  return text.data();
}

// "2019-04-25 10:39:49", possibly followed by ".000000".
std::optional<std::string> from_plain(std::string_view text) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  for (const auto& [start, length] : {std::pair{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}}) {
    if (!all_digits(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length)))) {
      return std::nullopt;
    }
  }
  return std::string(text.substr(0, 19));
}

// "Apr 9, 2018,  4:25 pm": minute precision, 12-hour clock.
std::optional<std::string> from_text(std::string_view text) {
  std::array<char, 4> month_name{};
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  std::array<char, 3> meridiem{};
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%3s %d, %d, %d:%d %2s", month_name.data(), &day, &year, &hour, &minute,
                  meridiem.data()) != 6) {
    return std::nullopt;
  }

  int month = 0;
  for (std::size_t index = 0; index < kMonths.size(); ++index) {
    const std::string_view name = kMonths[index];
    if (std::tolower(static_cast<unsigned char>(month_name[0])) == name[0] &&
        std::tolower(static_cast<unsigned char>(month_name[1])) == name[1] &&
        std::tolower(static_cast<unsigned char>(month_name[2])) == name[2]) {
      month = static_cast<int>(index) + 1;
    }
  }
  const char half = static_cast<char>(std::tolower(static_cast<unsigned char>(meridiem[0])));
  if (month == 0 || day < 1 || day > 31 || hour < 1 || hour > 12 || minute < 0 || minute > 59 ||
      (half != 'a' && half != 'p')) {
    return std::nullopt;
  }
  const int hour24 = (hour % 12) + (half == 'p' ? 12 : 0);
  return format(year, month, day, hour24, minute, 0);
}

}  // namespace

std::optional<std::string> sortable_timestamp(std::string_view text) {
  if (auto plain = from_plain(text)) {
    return plain;
  }
  return from_text(text);
}

std::optional<std::int64_t> seconds_since_epoch(std::string_view sortable) {
  const std::string text(sortable);
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u %d:%d:%d", &year, &month, &day, &hour, &minute, &second) != 6) {
    return std::nullopt;
  }

  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  const bool clock_valid = hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 61;
  if (!date.ok() || !clock_valid) {
    return std::nullopt;
  }
  const auto days = std::chrono::sys_days(date).time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(days).count() + hour * 3600 + minute * 60 + second;
}

}  // namespace blink_sync
