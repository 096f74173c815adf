#pragma once

#include <string>
#include <vector>

#include "mapping/desired_state.hpp"
#include "mapping/entity.hpp"
#include "mapping/roster_row.hpp"

namespace blink_sync {

// Returns the columns a record query must return: local_id and the column
// of each required field. A time zone column is optional when
// roster.default_timezone is set. Pure.
std::vector<std::string> required_record_columns(Entity entity, bool has_default_timezone);

// Returns the two columns a link query must return. Pure.
std::vector<std::string> required_link_columns(LinkKind kind);

// Returns the names in `required` that `columns` lacks, in order. Pure.
std::vector<std::string> missing_columns(const ColumnSet& columns, const std::vector<std::string>& required);

}  // namespace blink_sync
