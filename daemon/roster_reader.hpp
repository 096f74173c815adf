#pragma once

#include <pqxx/connection>

#include <array>
#include <cstddef>
#include <set>
#include <stdexcept>
#include <string>

#include "daemon/config.hpp"
#include "mapping/desired_state.hpp"

namespace blink_sync {

// A roster query failed or returns columns that break the contract in
// docs/roster-queries.md. The cycle stops before any write.
class RosterQueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs the five configured roster queries in one REPEATABLE READ READ ONLY
// transaction, so they see one snapshot, and validates every row as it
// arrives. Rows are fetched through a cursor in blocks, so a large roster is
// never held twice.
class RosterReader {
 public:
  explicit RosterReader(RosterConfig queries) : queries_(std::move(queries)) {}

  // `expected_records` is, per entity in Entity order, about how many
  // records to expect, such as the mapping table contains. It only sizes
  // the buffers. Throws RosterQueryError, or pqxx::broken_connection when the
  // database goes away.
  DesiredState read(pqxx::connection& connection, const ValidationContext& context,
                    const std::array<std::size_t, 3>& expected_records = {});

 private:
  struct Query;
  void read_query(pqxx::transaction_base& transaction, const Query& query, DesiredStateBuilder& builder);
  void stream_rows(pqxx::transaction_base& transaction, const Query& query, DesiredStateBuilder& builder);
  void check_columns(const Query& query, const ColumnSet& columns);

  RosterConfig queries_;
  std::set<std::string> warned_;  // queries whose unknown columns were already reported
};

}  // namespace blink_sync
