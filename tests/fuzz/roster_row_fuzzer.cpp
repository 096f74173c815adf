// Fuzz target: one roster row as the roster reader hands it to validation.
//
// Input format: the first byte picks the entity (byte % 3) and whether a
// default time zone is configured (bit 2). The rest is the row's cells
// separated by the byte 0x1F, in the order local_id, then the entity's
// columns as fields_of() lists them. A cell of exactly "\N" is SQL NULL
// (the COPY convention), and columns after the last cell are absent from
// the query, as when an operator's query leaves them out.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/fields.hpp"
#include "mapping/roster_row.hpp"
#include "mapping/row_validation.hpp"

namespace {

using blink_sync::Entity;

constexpr char kCellSeparator = '\x1F';

std::vector<std::optional<std::string>> split_cells(std::string_view text) {
  std::vector<std::optional<std::string>> cells;
  for (;;) {
    const auto end = text.find(kCellSeparator);
    const auto cell = text.substr(0, end);
    if (cell == "\\N") {
      cells.emplace_back(std::nullopt);
    } else {
      cells.emplace_back(std::string(cell));
    }
    if (end == std::string_view::npos) {
      return cells;
    }
    text.remove_prefix(end + 1);
  }
}

// A fixed set, so that the target does not depend on the system's tz
// database.
bool is_known_timezone(std::string_view name) {
  return name == "America/Denver" || name == "Europe/London" || name == "UTC";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  constexpr Entity entities[] = {Entity::student, Entity::student_login, Entity::staff};
  const auto entity = entities[data[0] % 3];
  const bool has_default_timezone = (data[0] & 0x04) != 0;

  auto cells = split_cells(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  std::vector<std::string> names = {"local_id"};
  for (const auto& spec : blink_sync::fields_of(entity)) {
    names.emplace_back(spec.roster_column);
  }
  names.resize(std::min(names.size(), cells.size()));
  cells.resize(names.size());

  const blink_sync::ColumnSet columns(names);
  const blink_sync::RosterRow row{&columns, cells};
  blink_sync::ValidationContext context;
  context.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{4}};
  if (has_default_timezone) {
    context.default_timezone = "America/Denver";
  }
  context.is_known_timezone = is_known_timezone;

  static_cast<void>(blink_sync::validate_row(entity, row, context));
  for (const auto& cell : cells) {
    if (cell) {
      static_cast<void>(blink_sync::parse_flag(*cell));
      static_cast<void>(blink_sync::parse_iso_date(*cell));
    }
  }
  return 0;
}
