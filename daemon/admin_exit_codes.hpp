#pragma once

namespace blink_sync {

// Exit codes of check-config and status, from sysexits.h, so a monitoring
// system can tell a configuration mistake from an outage.
enum AdminExitCode : int {
  kExitUnavailable = 69,   // EX_UNAVAILABLE: PostgreSQL or Blink cannot be reached
  kExitNoPermission = 77,  // EX_NOPERM: Blink rejected the token, or PostgreSQL denied access
  kExitConfig = 78,        // EX_CONFIG: the configuration or a roster query is invalid
};

}  // namespace blink_sync
