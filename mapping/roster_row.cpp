#include "mapping/roster_row.hpp"

namespace blink_sync {

ColumnSet::ColumnSet(std::vector<std::string> names) : names_(std::move(names)) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    positions_.emplace(names_[i], i);
  }
}

std::optional<std::size_t> ColumnSet::find(std::string_view name) const {
  const auto found = positions_.find(std::string(name));
  if (found == positions_.end()) {
    return std::nullopt;
  }
  return found->second;
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
