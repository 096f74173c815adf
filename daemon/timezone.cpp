#include "daemon/timezone.hpp"

#include <date/tz.h>

#include <string>

namespace blink_sync {

bool is_known_timezone(std::string_view name) {
  if (name.empty() || name.find("..") != std::string_view::npos || name.front() == '/') {
    return false;
  }
  try {
    return date::locate_zone(std::string(name)) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace blink_sync
