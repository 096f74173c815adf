#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blink_sync {

// Returns a Blink timestamp as "YYYY-MM-DD HH:MM:SS", which sorts as text,
// from any of the shapes Blink writes: "2019-04-25 10:39:49" (with or
// without fractional seconds) or "Apr 9, 2018,  4:25 pm". Returns nullopt
// for anything else. Blink gives no zone, so only its own timestamps may be
// compared with each other.
std::optional<std::string> sortable_timestamp(std::string_view text);

// Returns the seconds since 1970 of a "YYYY-MM-DD HH:MM:SS" text read as
// UTC, or nullopt when it is not a valid date and time. Blink gives no zone,
// so only differences between such values mean anything.
std::optional<std::int64_t> seconds_since_epoch(std::string_view sortable);

}  // namespace blink_sync
