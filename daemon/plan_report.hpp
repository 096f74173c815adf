#pragma once

#include <ostream>
#include <vector>

#include "mapping/plan.hpp"
#include "mapping/record_error.hpp"

namespace blink_sync {

// Writes what a plan would do, for --dry-run: one line per operation with
// the entity, ids, action and the names (never the values) of the fields
// that would change, the errors found, and the totals.
void write_plan_report(std::ostream& out, const Plan& plan, const std::vector<RecordError>& errors);

}  // namespace blink_sync
