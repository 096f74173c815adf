#pragma once

#include <string>
#include <vector>

#include "daemon/config.hpp"

namespace blink_sync {

// Returns one warning per entity whose Blink values cannot all reach the
// roster: the Blink-owned fields, and under conflict_policy blink_wins every
// field, whose parameter the entity's changed_in_blink write-back statement
// does not bind. Such a field is never pulled (see merge_field), so each
// warning names where Blink's edits stay and what to add. Pure.
std::vector<std::string> pull_coverage_warnings(const Config& config);

}  // namespace blink_sync
