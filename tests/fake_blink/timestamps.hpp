// Timestamps in the shapes the Blink API returns them.
//
// The document's examples report times in America/Denver, the zone of its
// example organisation, so the fake uses that zone for every timestamp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "records.hpp"

namespace fake_blink {

inline constexpr std::string_view kOrganisationTimezone = "America/Denver";

// Formats `time` as "YYYY-MM-DD HH:MM:SS" in the organisation's zone, the
// shape of nested records.
std::string format_plain_timestamp(Timestamp time);

// Formats `time` as {"date":"YYYY-MM-DD HH:MM:SS.000000","timezone_type":3,
// "timezone":"America/Denver"}, the shape of top-level records in GET lists.
nlohmann::json format_timestamp_object(Timestamp time);

// Parses "YYYY-MM-DD HH:MM:SS" read as organisation-local time. Returns
// nullopt when the text has another shape.
std::optional<Timestamp> parse_plain_timestamp(std::string_view text);

}  // namespace fake_blink
