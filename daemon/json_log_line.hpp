#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace blink_sync {

// Returns one JSON object for a log line "component: sentence key=value …"
// (the component is at most 20 characters without '=', '"' or ','):
// {"time":"2026-12-04T20:32:25.123Z","level":"info","component":"cycle",
// "message":"finished cycle=1 …","cycle":"1",…}. Every key=value field,
// quoted values included, becomes a string member, except keys that would
// replace time, level, component or message. No trailing newline.
std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                          std::string_view text);

}  // namespace blink_sync
