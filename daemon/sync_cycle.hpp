#pragma once

#include <boost/asio/awaitable.hpp>
#include <pqxx/connection>

#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/blink_client.hpp"
#include "daemon/blink_edits.hpp"
#include "daemon/config.hpp"
#include "daemon/in_doubt_settlement.hpp"
#include "daemon/executor.hpp"
#include "daemon/journal.hpp"
#include "daemon/read_marks.hpp"
#include "daemon/roster_reader.hpp"
#include "daemon/store.hpp"
#include "daemon/write_back.hpp"
#include "mapping/desired_state.hpp"

namespace blink_sync {

enum class CycleMode {
  poll,    // a daemon cycle
  once,    // --once
  resync,  // --resync: compare with Blink itself, not the last-synced copy
};

std::string_view cycle_mode_name(CycleMode mode);

struct CycleRequest {
  CycleMode mode = CycleMode::poll;
  bool dry_run = false;  // plan and print, change nothing
  // --allow-deletions N: how many removals the removal guard would hold
  // may go through in this cycle.
  std::optional<std::size_t> allowed_removals;
};

struct CycleReport {
  std::optional<std::int64_t> run_id;  // the blink_sync.runs row, absent for a dry run
  RunOutcome outcome = RunOutcome::succeeded;
  RunTotals totals;
  std::chrono::milliseconds duration{0};
  std::string message;  // why the cycle failed, when it did
  bool token_rejected = false;  // Blink returned 401
  std::size_t held_removals = 0;  // discharges and deletions the removal guard held
  std::size_t held_in_doubt = 0;  // records not created because an earlier create is in doubt
};

// One sync cycle from start to end: read the roster, read Blink, plan,
// execute, record the run. Every failure is caught here, logged once and
// returned in the report; nothing escapes to the loop.
class SyncCycle {
 public:
  struct Dependencies {
    const Config& config;
    pqxx::connection& database;
    BlinkClient& client;
    const std::atomic<bool>& stop_requested;
    std::ostream& plan_output;  // where --dry-run writes the plan
    // Writes values edited in Blink back to the roster; log_only_write_back() when empty.
    WriteBackHook write_back = {};
  };

  explicit SyncCycle(Dependencies dependencies);

  boost::asio::awaitable<CycleReport> run(CycleRequest request);

 private:
  boost::asio::awaitable<void> sync(CycleRequest request, CycleReport& report);
  IdentityMap load_mapping(bool dry_run);
  std::optional<Plan> assumed_plan(const CycleRequest& request, const DesiredState& desired,
                                   const IdentityMap& mapping);
  ReadMarkSet load_read_marks(const CycleRequest& request);
  bool full_read_due(const ReadMarkSet& marks);
  void save_read_marks(const std::array<ListReadSummary, 3>& summaries, const ReadMarkSet& marks,
                       const ExecutionResult& result);
  HeldRecords settle_in_doubt(bool dry_run, const RemoteState& remote, IdentityMap& mapping,
                              std::vector<RecordError>& errors);
  void report_error(const CycleReport& report, const IdentityMap& mapping, RecordError error);

  // Roster write-back and remote copy (daemon/write_back.hpp, daemon/remote_copy.hpp).
  void retry_write_backs(bool dry_run, std::vector<RecordError>& errors);
  WriteBackHook pull_hook(const RemoteState& remote, const DesiredState& desired) const;
  std::array<std::vector<bool>, 3> roster_takes() const;
  void store_remote_copy(bool dry_run, const RemoteState& remote, const std::array<ListReadSummary, 3>& summaries,
                         const IdentityMap& mapping, const DesiredState& desired, std::vector<RecordError>& errors);
  void log_summary(const CycleRequest& request, const CycleReport& report) const;
  std::size_t record_conflicts(const Plan& plan, const IdentityMap& mapping, const CycleReport& report);
  void finish_blink_edits(const Plan& plan, const IdentityMap& mapping, CycleReport& report);

  Dependencies dependencies_;
  WriteBackRunner write_back_;  // before store_ and journal_, which hold its address
  Store store_;
  Journal journal_;
  ReadMarks read_marks_;
  RosterReader roster_reader_;
  OpenConflicts open_conflicts_;  // loaded at the start of each cycle
};

}  // namespace blink_sync
