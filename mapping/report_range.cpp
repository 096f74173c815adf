#include "mapping/report_range.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace blink_sync {

std::vector<DayRange> plan_report_ranges(const RangePlanInput& input) {
  auto first = input.start_date;
  if (input.imported_through) {
    first = std::max(first, *input.imported_through - std::chrono::days{std::max(0, input.overlap_days)});
  }

  const std::chrono::days length{std::max(1, input.max_days_per_range)};
  std::vector<DayRange> ranges;
  for (auto day = first; day <= input.today; day += length) {
    ranges.push_back(DayRange{day, std::min(input.today, day + length - std::chrono::days{1})});
  }
  return ranges;
}

std::string format_day(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  std::array<char, 16> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text.data();
}

std::optional<std::chrono::sys_days> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t offset, std::size_t length) -> std::optional<int> {
    int value = 0;
    const auto* end = text.data() + offset + length;
    const auto [stop, error] = std::from_chars(text.data() + offset, end, value);
    if (error != std::errc{} || stop != end) {
      return std::nullopt;
    }
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day || *month < 1 || *day < 1) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days{date};
}

}  // namespace blink_sync
