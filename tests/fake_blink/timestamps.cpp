#include "timestamps.hpp"

#include <charconv>

#include <date/tz.h>

namespace fake_blink {
namespace {

const date::time_zone* organisation_zone() {
  static const date::time_zone* zone = date::locate_zone(kOrganisationTimezone);
  return zone;
}

}  // namespace

std::string format_plain_timestamp(Timestamp time) {
  const date::zoned_seconds local{organisation_zone(), time};
  return date::format("%Y-%m-%d %H:%M:%S", local);
}

nlohmann::json format_timestamp_object(Timestamp time) {
  // timezone_type 3 is PHP's marker for a zone given by identifier.
  return {
      {"date", format_plain_timestamp(time) + ".000000"},
      {"timezone_type", 3},
      {"timezone", kOrganisationTimezone},
  };
}

std::optional<Timestamp> parse_plain_timestamp(std::string_view text) {
  // Fixed layout "YYYY-MM-DD HH:MM:SS": the number fields and the separators.
  constexpr std::string_view kLayout = "0000-00-00 00:00:00";
  if (text.size() != kLayout.size()) {
    return std::nullopt;
  }
  for (std::size_t index = 0; index < text.size(); ++index) {
    const bool digit_expected = kLayout[index] == '0';
    const bool is_digit = text[index] >= '0' && text[index] <= '9';
    if (digit_expected != is_digit || (!digit_expected && text[index] != kLayout[index])) {
      return std::nullopt;
    }
  }

  const auto number = [&](std::size_t offset, std::size_t length) {
    int value = 0;
    std::from_chars(text.data() + offset, text.data() + offset + length, value);
    return value;
  };
  const date::year_month_day day{date::year{number(0, 4)},
                                 date::month{static_cast<unsigned>(number(5, 2))},
                                 date::day{static_cast<unsigned>(number(8, 2))}};
  const std::chrono::hours hour{number(11, 2)};
  const std::chrono::minutes minute{number(14, 2)};
  const std::chrono::seconds second{number(17, 2)};
  if (!day.ok() || hour.count() > 23 || minute.count() > 59 || second.count() > 59) {
    return std::nullopt;
  }

  const date::local_seconds local = date::local_days{day} + hour + minute + second;
  return organisation_zone()->to_sys(local, date::choose::earliest);
}

}  // namespace fake_blink
