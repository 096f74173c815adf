#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace blink_sync {

// SQL whose named parameters were turned into PostgreSQL's positional ones.
struct BoundStatement {
  std::string sql;                 // with $1, $2, ... in place of :name
  std::vector<std::string> names;  // names[i] is the value bound to $(i+1)
};

// Replaces each `:name` in `sql` with `$n`, the same n for repeats of a
// name, so the values go through parameters and never into the text.
// Casts (`::int`), quoted text, quoted identifiers and comments are left
// alone. Returns an error naming an unknown parameter and the allowed ones.
std::variant<BoundStatement, std::string> bind_named_parameters(std::string_view sql,
                                                             const std::vector<std::string>& allowed);

}  // namespace blink_sync
