#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/entity.hpp"

namespace blink_sync {

// Column names of one roster query's result, looked up by name.
class ColumnSet {
 public:
  explicit ColumnSet(std::vector<std::string> names);

  // Returns the position of the first column with this name, or nullopt.
  std::optional<std::size_t> find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

  // Returns the position of the roster column of field `slot` of `entity`
  // (fields_of order), or nullopt. The constructor resolves these once,
  // because finding each cell's column by name took about a tenth of
  // building the desired state.
  std::optional<std::size_t> field_column(Entity entity, std::size_t slot) const;

 private:
  std::vector<std::string> names_;
  std::array<std::vector<std::optional<std::size_t>>, 3> field_columns_;  // by Entity
};

// One row of a roster query, every value in its text form; nullopt is SQL NULL.
struct RosterRow {
  const ColumnSet* columns = nullptr;
  std::vector<std::optional<std::string>> values;

  // Returns nullopt when the column is absent; a present NULL column is an
  // engaged optional holding nullopt.
  std::optional<std::optional<std::string_view>> get(std::string_view column) const;

  // The same as get() for the column of field `slot` of `entity`.
  std::optional<std::optional<std::string_view>> get_field(Entity entity, std::size_t slot) const;

 private:
  std::optional<std::optional<std::string_view>> at(std::optional<std::size_t> position) const;
};

}  // namespace blink_sync
