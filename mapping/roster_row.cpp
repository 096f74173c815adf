#include "mapping/roster_row.hpp"

namespace blink_sync {

ColumnSet::ColumnSet(std::vector<std::string> names) : names_(std::move(names)) {}

// A linear scan, because a query has a few dozen columns at most and a hash
// lookup by std::string would allocate a key for every cell read.
std::optional<std::size_t> ColumnSet::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<std::optional<std::string_view>> RosterRow::get(std::string_view column) const {
  const auto position = columns == nullptr ? std::nullopt : columns->find(column);
  if (!position || *position >= values.size()) {
    return std::nullopt;
  }
  const auto& value = values[*position];
  if (!value) {
    return std::optional<std::string_view>{};
  }
  return std::optional<std::string_view>{*value};
}

}  // namespace blink_sync
