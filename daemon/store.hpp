#pragma once

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/record_follow_up.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/record_error.hpp"

namespace blink_sync {

// Outcome of a cycle, as stored in blink_sync.runs.outcome.
enum class RunOutcome { succeeded, succeeded_with_errors, failed, interrupted };

std::string_view outcome_name(RunOutcome outcome);

// The migration that added the appointment counts to blink_sync.runs.
inline constexpr int kRunEventCountsSchemaVersion = 9;

// Appointment (event) writes of one cycle, kept out of the record counts,
// so an alert on records deleted does not fire for an appointment.
struct EventWriteCounts {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t deleted = 0;
};

// The totals of one cycle, for blink_sync.runs and the summary line.
// `errors` counts record and appointment errors.
struct RunTotals {
  PlanCounts done;  // records: students, student-logins and staff
  EventWriteCounts events;
  std::size_t errors = 0;
  std::size_t api_calls = 0;
  std::size_t denied = 0;
};

// The daemon's own tables in the blink_sync schema. Every write is its own
// committed transaction, so a Blink id is stored the moment it is known and
// survives a crash right after. Every value goes through parameters.
class Store {
 public:
  // `write_back` runs the follow-ups given to save_mapping and
  // delete_mapping; without it they are ignored.
  explicit Store(pqxx::connection& connection, const WriteBackRunner* write_back = nullptr)
      : connection_(connection), write_back_(write_back) {}

  IdentityMap load_mapping();

  // Inserts or replaces the mapping of `record.local_id`. A row that maps
  // the same Blink id to another record (the roster changed the record's
  // id, or the daemon was pointed at another organisation) is removed in the
  // same transaction.
  //
  // `follow_up` is committed in the same transaction; its write-back error
  // is returned, and the mapping is saved regardless.
  std::optional<RecordError> save_mapping(const MappedRecord& record,
                                          const std::optional<RecordFollowUp>& follow_up = std::nullopt);
  std::optional<RecordError> delete_mapping(Entity entity, const std::string& local_id,
                                            const std::optional<RecordFollowUp>& follow_up = std::nullopt);

  std::int64_t begin_run(std::string_view mode);

  // Returns true when no cycle that read Blink has succeeded in the last
  // `interval`. Every cycle that makes an API call reads Blink first.
  bool blink_read_due(std::chrono::seconds interval);

  // Marks cycles still "running" from an earlier process as interrupted and
  // returns how many there were.
  std::size_t close_abandoned_runs();
  void finish_run(std::int64_t run_id, RunOutcome outcome, const RunTotals& totals, const std::string& message);
  void record_error(std::optional<std::int64_t> run_id, const RecordError& error);

  // For callers that commit rows of their own together with a mapping.
  pqxx::connection& connection() { return connection_; }

 private:
  pqxx::connection& connection_;
  const WriteBackRunner* write_back_ = nullptr;
};

// The statements behind save_mapping and delete_mapping, for callers that
// commit them together with other rows.
void write_mapping(pqxx::transaction_base& transaction, const MappedRecord& record);
void erase_mapping(pqxx::transaction_base& transaction, Entity entity, const std::string& local_id);

// Converts a mapping's field values to and from the JSON stored in
// blink_sync.mapping.synced_fields (an object keyed by Blink field name).
std::string encode_synced_fields(Entity entity, const FieldValues& fields);
FieldValues decode_synced_fields(Entity entity, const std::string& json);

}  // namespace blink_sync
