#pragma once

// Builders for the unit tests: roster rows by column name, canonical records
// of each entity, and a World where the roster, Blink and the mapping table
// agree as they do after a cycle that synced everything.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/desired_state.hpp"
#include "mapping/entity.hpp"
#include "mapping/fields.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/planner.hpp"
#include "mapping/remote_state.hpp"
#include "mapping/roster_row.hpp"
#include "mapping/row_validation.hpp"

namespace blink_sync {

// Names for GoogleTest's failure messages.
inline void PrintTo(Action action, std::ostream* out) {
  *out << action_name(action);
}
inline void PrintTo(Entity entity, std::ostream* out) {
  *out << entity_name(entity);
}

inline void PrintTo(const FieldValues& fields, std::ostream* out) {
  *out << "{";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    *out << (i == 0 ? "" : ", ");
    if (const auto value = fields.get(i)) {
      *out << '"' << *value << '"';
    } else {
      *out << "unknown";
    }
  }
  *out << "}";
}

}  // namespace blink_sync

namespace blink_sync::test {

// The date every test treats as today, so no test reads the clock.
inline constexpr std::chrono::year_month_day kToday{std::chrono::year{2024}, std::chrono::June,
                                                    std::chrono::day{15}};

// Returns true for the few time zone names the tests use as known.
inline bool is_test_timezone(std::string_view name) {
  for (const std::string_view known :
       {"America/Denver", "America/New_York", "Europe/Paris", "UTC"}) {
    if (name == known) {
      return true;
    }
  }
  return false;
}

inline ValidationContext test_context(std::optional<std::string> default_timezone = std::nullopt) {
  return ValidationContext{kToday, std::move(default_timezone), &is_test_timezone};
}

// ---- Roster rows ----

// A column name and its text value, where nullopt is SQL NULL.
using Cell = std::pair<std::string, std::optional<std::string>>;

// A roster row built by column name. The builder owns the column set, so
// the RosterRow returned by row() stays valid while the builder lives and
// until row() is called again.
class RowBuilder {
 public:
  RowBuilder(std::initializer_list<Cell> cells) : cells_(cells) {}

  // Sets a column's value, adding the column when the row lacks it.
  RowBuilder& set(const std::string& column, std::optional<std::string> value) {
    for (auto& cell : cells_) {
      if (cell.first == column) {
        cell.second = std::move(value);
        return *this;
      }
    }
    cells_.emplace_back(column, std::move(value));
    return *this;
  }

  // Removes a column, as if the query did not select it.
  RowBuilder& drop(const std::string& column) {
    std::erase_if(cells_, [&](const Cell& cell) { return cell.first == column; });
    return *this;
  }

  const RosterRow& row() {
    std::vector<std::string> names;
    std::vector<std::optional<std::string>> values;
    for (const auto& [name, value] : cells_) {
      names.push_back(name);
      values.push_back(value);
    }
    columns_ = std::make_unique<ColumnSet>(std::move(names));
    row_ = RosterRow{columns_.get(), std::move(values)};
    return row_;
  }

 private:
  std::vector<Cell> cells_;
  std::unique_ptr<ColumnSet> columns_;
  RosterRow row_;
};

inline RowBuilder student_row(const std::string& local_id, const std::string& first = "Ada",
                              const std::string& last = "Byron",
                              const std::string& born = "2010-05-06") {
  return RowBuilder{{"local_id", local_id},
                    {"first_name", first},
                    {"last_name", last},
                    {"date_of_birth", born},
                    {"timezone", "America/Denver"}};
}

inline RowBuilder login_row(const std::string& local_id, const std::string& email) {
  return RowBuilder{{"local_id", local_id},
                    {"first_name", "Pat"},
                    {"last_name", "Lee"},
                    {"email", email},
                    {"phone", "719-555-0142"}};
}

inline RowBuilder staff_row(const std::string& local_id, const std::string& email) {
  return RowBuilder{{"local_id", local_id},    {"first_name", "Sam"},
                    {"last_name", "Reed"},     {"email", email},
                    {"phone", "719-555-0100"}, {"timezone", "America/Denver"}};
}

inline RowBuilder link_row(LinkKind kind, std::optional<std::string> owner,
                           std::optional<std::string> student) {
  const std::string owner_column =
      kind == LinkKind::staff_students ? "staff_local_id" : "login_local_id";
  return RowBuilder{{owner_column, std::move(owner)}, {"student_local_id", std::move(student)}};
}

// ---- Field values ----

inline std::size_t slot_of(Entity entity, std::string_view key) {
  const auto index = field_index(entity, key);
  if (!index) {
    throw std::invalid_argument("no field " + std::string(key) + " in " +
                                std::string(entity_name(entity)));
  }
  return *index;
}

// Returns a copy of the value, so it stays valid when `fields` changes.
inline std::optional<std::string> field(Entity entity, const FieldValues& fields, std::string_view key) {
  const auto slot = slot_of(entity, key);
  if (slot >= fields.size()) {
    throw std::out_of_range("record has no slot for " + std::string(key));
  }
  const auto value = fields.get(slot);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

inline void set_field(Entity entity, FieldValues& fields, std::string_view key,
                      std::optional<std::string> value) {
  fields.set(slot_of(entity, key), value);
}

// Returns the Blink keys of the known slots, in field order.
inline std::vector<std::string> known_keys(Entity entity, const FieldValues& fields) {
  std::vector<std::string> keys;
  const auto specs = fields_of(entity);
  for (std::size_t i = 0; i < specs.size() && i < fields.size(); ++i) {
    if (fields.get(i)) {
      keys.emplace_back(specs[i].blink_key);
    }
  }
  return keys;
}

// ---- Canonical records, as validation produces them ----

inline std::vector<std::string> sorted_unique(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

inline DesiredRecord student(const std::string& local_id, const std::string& first,
                             const std::string& last, const std::string& born = "05/06/2010") {
  DesiredRecord record{local_id, FieldValues(Entity::student), {}, {}};
  auto& fields = record.fields;
  set_field(Entity::student, fields, "first_name", first);
  set_field(Entity::student, fields, "last_name", last);
  set_field(Entity::student, fields, "date_of_birth", born);
  set_field(Entity::student, fields, "student_timezone", "America/Denver");
  set_field(Entity::student, fields, "notes", "");
  set_field(Entity::student, fields, "location_id", "");
  set_field(Entity::student, fields, "discharged", "0");
  return record;
}

// A student-login whose roster query has no notification preference columns.
inline DesiredRecord login(const std::string& local_id, const std::string& email,
                           std::vector<std::string> students) {
  DesiredRecord record{local_id, FieldValues(Entity::student_login), sorted_unique(std::move(students)), {}};
  auto& fields = record.fields;
  set_field(Entity::student_login, fields, "first_name", "Pat");
  set_field(Entity::student_login, fields, "last_name", "Lee");
  set_field(Entity::student_login, fields, "email", email);
  set_field(Entity::student_login, fields, "phone", "719-555-0142");
  return record;
}

// A staff member whose roster query has no permission columns.
inline DesiredRecord staff(const std::string& local_id, const std::string& email,
                           std::vector<std::string> students) {
  DesiredRecord record{local_id, FieldValues(Entity::staff), sorted_unique(std::move(students)), {}};
  auto& fields = record.fields;
  set_field(Entity::staff, fields, "first_name", "Sam");
  set_field(Entity::staff, fields, "last_name", "Reed");
  set_field(Entity::staff, fields, "display_name", "Sam Reed");
  set_field(Entity::staff, fields, "email", email);
  set_field(Entity::staff, fields, "phone", "719-555-0100");
  set_field(Entity::staff, fields, "user_timezone", "America/Denver");
  return record;
}

inline void reindex(EntityRoster& roster) {
  std::sort(roster.records.begin(), roster.records.end(),
            [](const auto& a, const auto& b) { return a.local_id < b.local_id; });
  roster.by_local_id.clear();
  for (std::size_t i = 0; i < roster.records.size(); ++i) {
    roster.by_local_id.emplace(roster.records[i].local_id, i);
  }
}

// Adds a valid row to the roster side, as the desired state builder would.
inline void add_valid(DesiredState& state, Entity entity, DesiredRecord record) {
  if (entity == Entity::staff) {
    state.staff_link_rows += record.linked_students.size();
  } else if (entity == Entity::student_login) {
    state.login_link_rows += record.linked_students.size();
  }
  auto& roster = state.of(entity);
  roster.records.push_back(std::move(record));
  ++roster.row_count;
  reindex(roster);
}

// Adds a row that failed validation this cycle.
inline void add_invalid(DesiredState& state, Entity entity, const std::string& local_id) {
  auto& roster = state.of(entity);
  roster.invalid_ids.insert(local_id);
  ++roster.row_count;
}

inline RemoteRecord remote_record(std::int64_t id, FieldValues fields,
                                  std::optional<std::vector<std::int64_t>> links = std::nullopt) {
  RemoteRecord record;
  record.id = id;
  record.fields = std::move(fields);
  record.linked_students = std::move(links);
  return record;
}

// ---- A synced world for the planner ----

// A roster, Blink and mapping table that agree, as after a cycle that synced
// everything. Tests then change one side and plan.
struct World {
  DesiredState desired;
  RemoteState remote;
  IdentityMap mapping;

  // Adds a record to all three sides. Links are resolved through the
  // mapping, so linked students must be added first.
  void add_synced(Entity entity, DesiredRecord record, std::int64_t blink_id) {
    std::optional<std::vector<std::int64_t>> links;
    if (entity != Entity::student) {
      links = blink_ids_of(record.linked_students);
    }
    remote.of(entity).add(remote_record(blink_id, record.fields, links));
    mapping.upsert(MappedRecord{entity, record.local_id, blink_id, record.fields, links});
    add_valid(desired, entity, std::move(record));
  }

  std::vector<std::int64_t> blink_ids_of(const std::vector<std::string>& students) const {
    std::vector<std::int64_t> ids;
    for (const auto& local_id : students) {
      const auto* mapped = mapping.find_local(Entity::student, local_id);
      if (mapped == nullptr) {
        throw std::logic_error("student " + local_id + " is not mapped yet");
      }
      ids.push_back(mapped->blink_id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // The roster side of a record, for a test to change.
  DesiredRecord& roster_record(Entity entity, const std::string& local_id) {
    auto& roster = desired.of(entity);
    return roster.records.at(roster.by_local_id.at(local_id));
  }

  // Blink's side of a record, for a test to change.
  RemoteRecord& blink_record(Entity entity, std::int64_t blink_id) {
    auto& entity_records = remote.of(entity);
    return entity_records.records.at(entity_records.by_id.at(blink_id));
  }

  // Removes a record from the roster query, as when it leaves the roster.
  void leave_roster(Entity entity, const std::string& local_id) {
    auto& roster = desired.of(entity);
    std::erase_if(roster.records, [&](const auto& record) { return record.local_id == local_id; });
    --roster.row_count;
    reindex(roster);
  }

  // Removes a record from Blink's list.
  void drop_from_blink(Entity entity, std::int64_t blink_id) {
    auto& entity_records = remote.of(entity);
    std::erase_if(entity_records.records,
                  [&](const auto& record) { return record.id == blink_id; });
    entity_records.by_id.clear();
    for (std::size_t i = 0; i < entity_records.records.size(); ++i) {
      entity_records.by_id.emplace(entity_records.records[i].id, i);
    }
  }

  Plan plan(const PlanOptions& options = {}) const {
    return plan_sync(desired, remote, mapping, options);
  }
};

// Returns "action entity local_id" for each operation, to assert order.
inline std::vector<std::string> describe(const Plan& plan) {
  std::vector<std::string> lines;
  for (const auto& operation : plan.operations) {
    lines.push_back(std::string(action_name(operation.action)) + " " +
                    std::string(entity_name(operation.entity)) + " " + operation.local_id);
  }
  return lines;
}

}  // namespace blink_sync::test
