#include "mapping/event_record.hpp"

#include <algorithm>

namespace blink_sync {

bool is_event_status(std::string_view status) {
  return std::find(kEventStatuses.begin(), kEventStatuses.end(), status) != kEventStatuses.end();
}

std::optional<int> RemoteEvent::minutes() const {
  if (all_day) {
    return std::nullopt;
  }
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(end - start).count());
}

}  // namespace blink_sync
