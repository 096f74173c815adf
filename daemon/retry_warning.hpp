#pragma once

#include <cstddef>
#include <string>

#include "daemon/blink_client.hpp"

namespace blink_sync {

// A cycle with this many retries or more gets a warning line, because
// retries that pile up mean Blink or the network is struggling before any
// request fails for good. Ten is a judgment, not a measured figure.
constexpr std::size_t kRetryWarningThreshold = 10;

// Logs "cycle: retries piled up cycle=… retries=… denied=… requests=…" at
// warning level when the cycle's retries reach kRetryWarningThreshold.
void warn_if_retries_piled_up(const std::string& cycle, const CallCounts& counts);

}  // namespace blink_sync
