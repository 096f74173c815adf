#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>

#include "daemon/config.hpp"

namespace blink_sync {

// How long `blink-sync --resync` waits for the running daemon to accept.
constexpr std::chrono::seconds kResyncAcceptTimeout{30};

enum class ResyncRoute {
  accepted,     // the running daemon accepted the request
  no_daemon,    // no daemon runs (or the database is unreachable): run the resync here
  not_accepted  // a daemon seems to run but did not accept within the timeout
};

// `blink-sync --resync`: when a daemon runs against this database (its
// heartbeat row is fresh), stores a request in blink_sync.resync_requests,
// notifies the daemon, and waits until it accepts, so the resync is the
// daemon's next cycle and never runs beside another. Writes where to watch
// to `out`, problems to `err`. Blocks for up to kResyncAcceptTimeout.
ResyncRoute request_resync(const Config& config, std::optional<std::size_t> allowed_removals, std::ostream& out,
                           std::ostream& err);

}  // namespace blink_sync
