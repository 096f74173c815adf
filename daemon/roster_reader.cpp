#include "daemon/roster_reader.hpp"

#include <pqxx/cursor>
#include <pqxx/result>
#include <pqxx/transaction>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "daemon/database_error.hpp"
#include "mapping/roster_columns.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

// Rows fetched per round trip through the cursor.
constexpr int kFetchRows = 5000;

std::vector<std::string> column_names(const pqxx::result& block) {
  std::vector<std::string> names;
  for (pqxx::row::size_type i = 0; i < block.columns(); ++i) {
    names.emplace_back(block.column_name(i));
  }
  return names;
}

}  // namespace

struct RosterReader::Query {
  std::string key;  // the configuration key, roster.<key>
  const std::string& sql;
  std::optional<Entity> entity;  // set for the three record queries
  std::optional<LinkKind> link;  // set for the two link queries
};

DesiredState RosterReader::read(pqxx::connection& connection, const ValidationContext& context,
                                const std::array<std::size_t, 3>& expected_records) {
  const std::vector<Query> queries = {
      {"students", queries_.students, Entity::student, std::nullopt},
      {"student_logins", queries_.student_logins, Entity::student_login, std::nullopt},
      {"staff", queries_.staff, Entity::staff, std::nullopt},
      {"staff_students", queries_.staff_students, std::nullopt, LinkKind::staff_students},
      {"login_students", queries_.login_students, std::nullopt, LinkKind::login_students},
  };

  DesiredStateBuilder builder(context);
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    builder.expect_records(entity, expected_records[static_cast<std::size_t>(entity)]);
  }
  pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::read_only> transaction(
      connection, "roster snapshot");
  transaction.exec("SET LOCAL DateStyle = 'ISO, YMD'");
  for (const auto& query : queries) {
    read_query(transaction, query, builder);
  }
  transaction.commit();
  return std::move(builder).finish();
}

void RosterReader::read_query(pqxx::transaction_base& transaction, const Query& query, DesiredStateBuilder& builder) {
  try {
    stream_rows(transaction, query, builder);
  } catch (const pqxx::sql_error& error) {
    throw RosterQueryError("roster." + query.key + ": the query failed: " + describe_database_error(error) +
                           "; fix the query in the configuration");
  }
}

void RosterReader::stream_rows(pqxx::transaction_base& transaction, const Query& query, DesiredStateBuilder& builder) {
  pqxx::icursorstream cursor(transaction, query.sql, "roster_" + query.key, kFetchRows);
  std::optional<ColumnSet> columns;
  pqxx::result block;
  while (cursor.get(block) && !block.empty()) {
    if (!columns) {
      columns.emplace(column_names(block));
      check_columns(query, *columns);
    }
    RosterRow row{&*columns, {}};
    for (const auto& result_row : block) {
      row.values.clear();
      for (const auto& field : result_row) {
        row.values.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
      }
      if (query.entity) {
        builder.add_record_row(*query.entity, row);
      } else {
        builder.add_link_row(*query.link, row);
      }
    }
  }
}

// Checks the columns once per query. A missing required column stops the
// cycle, because every row would fail the same way. An unknown one is
// reported once.
void RosterReader::check_columns(const Query& query, const ColumnSet& columns) {
  std::vector<std::string> expected;
  std::vector<std::string> required;
  if (query.entity) {
    expected = {"local_id"};
    for (const auto& spec : fields_of(*query.entity)) {
      expected.emplace_back(spec.roster_column);
    }
    required = required_record_columns(*query.entity, queries_.default_timezone.has_value());
  } else {
    expected = required_link_columns(*query.link);
    required = expected;
  }

  const auto missing = missing_columns(columns, required);
  if (!missing.empty()) {
    throw RosterQueryError("roster." + query.key + ": the query returns no column " + join(missing, ", ") +
                           "; rename its columns with AS to the names in docs/roster-queries.md");
  }

  if (query.entity == Entity::student_login) {
    std::vector<std::string> present;
    std::vector<std::string> absent;
    for (const auto& spec : fields_of(Entity::student_login)) {
      if (spec.group == FieldGroup::notification_preferences) {
        (columns.find(spec.roster_column) ? present : absent).emplace_back(spec.roster_column);
      }
    }
    if (!present.empty() && !absent.empty()) {
      throw RosterQueryError("roster.student_logins: the query returns some notification preferences but not " +
                             join(absent, ", ") + "; Blink replaces all eight at once, so return all or none");
    }
  }

  std::vector<std::string> unknown;
  for (const auto& name : columns.names()) {
    if (std::find(expected.begin(), expected.end(), name) == expected.end()) {
      unknown.push_back(name);
    }
  }
  if (!unknown.empty() && warned_.insert(query.key).second) {
    spdlog::warn("roster: roster.{} returns columns that blink-sync does not use: {}; they are ignored", query.key,
                 join(unknown, ", "));
  }
}

}  // namespace blink_sync
