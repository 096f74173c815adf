#pragma once

#include <pqxx/connection>
#include <pqxx/transaction>

#include <array>
#include <cstdint>
#include <functional>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

#include "daemon/blink_edits_config.hpp"
#include "mapping/field_conflict.hpp"
#include "mapping/field_owners.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/record_error.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {

// Writes Blink's values of pulled fields (Blink-owned fields edited in
// Blink, or conflicts Blink wins) back to the roster. It runs inside the
// transaction that also stores the record's new last-synced copy, so the
// two are committed together. Returning an error rolls both back; the
// record is then pulled again next cycle and its other changes wait.
using WriteBackHook = std::function<std::optional<RecordError>(
    pqxx::work& transaction, Entity entity, const std::string& local_id, std::int64_t blink_id,
    const FieldValues& pulled)>;

// Returns the hook used while no write-back statement is configured: it
// changes nothing in the roster and logs the pulled field names at debug.
WriteBackHook log_only_write_back();

// Copies the configuration and the open conflicts into the planner's options.
// `open_conflicts` must outlive the plans made with `options`.
void set_blink_edit_options(const BlinkEditsConfig& config, const OpenConflicts& open_conflicts,
                            PlanOptions& options);

// Returns the Blink keys of the known slots, for logs.
std::string known_field_names(Entity entity, const FieldValues& fields);

// The migration that created blink_sync.conflicts and blink_only_records.
inline constexpr int kConflictsSchemaVersion = 6;

// Reads and writes blink_sync.conflicts. Every write is its own committed
// transaction.
class ConflictStore {
 public:
  explicit ConflictStore(pqxx::connection& connection) : connection_(connection) {}

  // Returns the reported conflicts that are still open; none before
  // migration 6.
  OpenConflicts load_open();

  // Inserts each conflict as an open row unless the same one is open
  // already, logs the new ones, and returns how many were new.
  std::size_t record(const std::vector<FieldConflict>& conflicts, std::optional<std::int64_t> run_id);

  // Closes open conflicts whose values no longer hold.
  void close(const std::vector<ConflictKey>& keys);

  // Closes the conflicts of roster_wins and blink_wins whose winning value
  // is now the record's last-synced value, which shows the outcome applied.
  void close_applied(const std::vector<FieldConflict>& conflicts, const IdentityMap& mapping);

  // Does the same for such conflicts left open by earlier cycles, for
  // example by one that stopped after the call but before closing them.
  void close_applied_earlier(const IdentityMap& mapping);

 private:
  pqxx::connection& connection_;
};

// Prints the open conflicts for blink-sync status, newest first, by ids and
// field names only; the values are in blink_sync.conflicts.
void print_open_conflicts(pqxx::transaction_base& transaction, std::ostream& out);

// Writes Blink-only records to blink_sync.blink_only_records and, where
// configured, runs the entity's import statement for each record that is
// new or whose values changed. A failing statement becomes a record error
// and the others go on. Returns how many records were new or changed.
std::size_t import_blink_only_records(pqxx::connection& connection, const std::vector<BlinkOnlyRecord>& records,
                                      const BlinkEditsConfig& config,
                                      const std::function<void(const RecordError&)>& report);


}  // namespace blink_sync
