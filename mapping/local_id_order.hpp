#pragma once

#include <vector>

#include "mapping/desired_record.hpp"
#include "mapping/identity_map.hpp"

namespace blink_sync {

// Sorts records by local id in natural order (natural_less), the order in
// which they are checked and planned. Returns at once when they are sorted
// already.
// Ids of the usual shape (a prefix and a number) are parsed once instead of
// compared by natural_less, which gives the same order faster.
void sort_by_local_id(std::vector<DesiredRecord>& records);
void sort_by_local_id(std::vector<const MappedRecord*>& records);

}  // namespace blink_sync
