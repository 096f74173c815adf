#pragma once

#include <pqxx/connection>
#include <pqxx/dbtransaction>

#include <optional>
#include <vector>

#include "daemon/write_back_config.hpp"
#include "mapping/record_error.hpp"
#include "mapping/write_back_values.hpp"

namespace blink_sync {

// Runs the configured write-back statements in the roster.
//
// A statement runs inside the transaction that saves the record's mapping,
// in a savepoint of its own. The Blink call has already happened when it
// runs, so the mapping must be committed whatever the statement does. A
// failing statement therefore rolls back to the savepoint alone, and its
// event and bound values are stored in blink_sync.pending_write_backs in the
// same transaction. The mapping and the pending row are committed together,
// so no write-back is lost between them. retry_pending() runs the stored
// statement again at the start of each cycle until it succeeds. When the
// whole transaction rolls back, neither the mapping nor the roster change
// is kept, and the next cycle handles the record again.
class WriteBackRunner {
 public:
  explicit WriteBackRunner(const WriteBackConfig& config) : config_(config) {}

  bool configured(Entity entity, WriteBackEvent event) const { return config_.find(entity, event) != nullptr; }

  // Returns true when the statement for `event` binds the named parameter.
  bool uses(Entity entity, WriteBackEvent event, std::string_view name) const;

  // Returns, by field slot, whether the entity's changed_in_blink statement
  // binds the field's parameter, so a value pulled from Blink can reach the
  // roster. All false when no such statement is configured.
  std::vector<bool> fields_taken(Entity entity) const;

  // Runs the statement for `event` of `values.entity` in a savepoint of
  // `transaction`. When it fails, returns a record error with the record's
  // ids, the statement's key and the database's message (values masked),
  // and stores the event as pending for the next cycle. Does nothing when no
  // statement is configured. A statement that changes no row counts as run
  // and is logged as a warning, because the roster row may be gone (at
  // debug level for `removed`, where that is usual). Throws
  // pqxx::broken_connection when the connection is lost.
  std::optional<RecordError> run(pqxx::dbtransaction& transaction, WriteBackEvent event,
                                 const WriteBackValues& values) const;

  // Runs every pending write-back again, oldest first, each in its own
  // transaction, and returns the errors of those that failed again. A row
  // whose statement is no longer configured is dropped with a log line.
  std::vector<RecordError> retry_pending(pqxx::connection& connection) const;

 private:
  // Runs the statement in a savepoint. Returns the database's message when
  // it failed.
  std::optional<std::string> execute(pqxx::dbtransaction& transaction, const WriteBackStatement& statement,
                                     const WriteBackValues& values) const;

  const WriteBackConfig& config_;
  // False once retry_pending() left no pending row and none was stored
  // since, which saves a DELETE per successful statement.
  mutable bool pending_may_exist_ = true;
};

}  // namespace blink_sync
