#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blink_sync {

// Column names of one roster query's result, looked up by name.
class ColumnSet {
 public:
  explicit ColumnSet(std::vector<std::string> names);

  // Returns the position of the first column with this name, or nullopt.
  std::optional<std::size_t> find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

// One row of a roster query, every value in its text form; nullopt is SQL NULL.
struct RosterRow {
  const ColumnSet* columns = nullptr;
  std::vector<std::optional<std::string>> values;

  // Returns nullopt when the column is absent; a present NULL column is an
  // engaged optional holding nullopt.
  std::optional<std::optional<std::string_view>> get(std::string_view column) const;
};

}  // namespace blink_sync
