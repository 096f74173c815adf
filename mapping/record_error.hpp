#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mapping/entity.hpp"

namespace blink_sync {

// A failure that concerns one record and does not stop the others: a bad
// roster row, a link to an unknown record, or a request Blink rejected.
// `message` must carry no personal data (no names, emails or birth dates),
// because it is logged at error level and stored in blink_sync.record_errors.
struct RecordError {
  Entity entity;
  std::string local_id;                    // empty when the row had none
  std::optional<std::int64_t> blink_id;    // when the record is known to Blink
  int http_status = 0;                     // 0 when no request was involved
  std::string message;                     // what failed and what to do
};

}  // namespace blink_sync
