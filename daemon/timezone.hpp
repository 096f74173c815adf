#pragma once

#include <string_view>

namespace blink_sync {

// Returns true when the system's tz database contains the name (IANA names
// and their links, such as "America/Denver" or "US/Mountain"). Blink requires
// a "valid PHP timezone", and PHP reads the same IANA database.
bool is_known_timezone(std::string_view name);

}  // namespace blink_sync
