#pragma once

#include <vector>

#include "mapping/desired_record.hpp"

namespace blink_sync {

// Sorts records by local id in natural order (natural_less), the order in
// which they are checked and planned. Returns at once when they are sorted
// already, because the desired state builder sorts each roster more than once.
void sort_by_local_id(std::vector<DesiredRecord>& records);

}  // namespace blink_sync
