#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace blink_sync {

// Column names of one roster query's result, looked up by name.
class ColumnSet {
 public:
  explicit ColumnSet(std::vector<std::string> names);

  std::optional<std::size_t> find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> positions_;
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
