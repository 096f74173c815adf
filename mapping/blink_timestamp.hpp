#pragma once

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

}  // namespace blink_sync
