#include "mapping/roster_row.hpp"

#include "mapping/fields.hpp"

namespace blink_sync {

ColumnSet::ColumnSet(std::vector<std::string> names) : names_(std::move(names)) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    auto& columns = field_columns_[static_cast<std::size_t>(entity)];
    for (const auto& spec : fields_of(entity)) {
      columns.push_back(find(spec.roster_column));
    }
  }
}

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

std::optional<std::size_t> ColumnSet::field_column(Entity entity, std::size_t slot) const {
  const auto& columns = field_columns_[static_cast<std::size_t>(entity)];
  return slot < columns.size() ? columns[slot] : std::nullopt;
}

std::optional<std::optional<std::string_view>> RosterRow::get(std::string_view column) const {
  return at(columns == nullptr ? std::nullopt : columns->find(column));
}

std::optional<std::optional<std::string_view>> RosterRow::get_field(Entity entity, std::size_t slot) const {
  return at(columns == nullptr ? std::nullopt : columns->field_column(entity, slot));
}

std::optional<std::optional<std::string_view>> RosterRow::at(std::optional<std::size_t> position) const {
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
