#include "daemon/sync_cycle.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <set>

#include <pqxx/except>

#include "daemon/blink_edits.hpp"
#include "daemon/database_error.hpp"
#include "daemon/error_repeats.hpp"
#include "daemon/event_sync.hpp"
#include "daemon/executor.hpp"
#include "daemon/in_doubt_settlement.hpp"
#include "daemon/migrations.hpp"
#include "daemon/plan_report.hpp"
#include "daemon/remote_copy.hpp"
#include "daemon/remote_reader.hpp"
#include "daemon/retry_warning.hpp"
#include "daemon/removal_hold_report.hpp"
#include "daemon/timezone.hpp"
#include "mapping/assumed_remote.hpp"
#include "mapping/planner.hpp"
#include "mapping/read_choice.hpp"
#include "mapping/write_back_values.hpp"

namespace blink_sync {

namespace asio = boost::asio;

namespace {

// The migration that created blink_sync.intents.
constexpr int kJournalSchemaVersion = 2;

ValidationContext validation_context(const RosterConfig& roster) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return ValidationContext{std::chrono::year_month_day{today}, roster.default_timezone, &is_known_timezone};
}

PlanOptions plan_options(const SyncConfig& sync, CycleMode mode, const OpenConflicts& open_conflicts,
                         const std::array<std::vector<bool>, 3>& roster_takes) {
  PlanOptions options;
  options.roster_takes = roster_takes;
  options.resync = mode == CycleMode::resync;
  options.students_removed = sync.students_removed;
  options.student_logins_removed = sync.student_logins_removed;
  options.staff_removed = sync.staff_removed;
  options.keep_unmanaged_links = sync.keep_unmanaged_links;
  set_blink_edit_options(sync.edits, open_conflicts, options);
  return options;
}

RunOutcome outcome_of(const ExecutionResult& result, std::size_t errors) {
  if (result.interrupted) {
    return RunOutcome::interrupted;
  }
  return errors == 0 ? RunOutcome::succeeded : RunOutcome::succeeded_with_errors;
}

}  // namespace

std::string_view cycle_mode_name(CycleMode mode) {
  switch (mode) {
    case CycleMode::poll:
      return "poll";
    case CycleMode::once:
      return "once";
    case CycleMode::resync:
      return "resync";
  }
  return "poll";
}

SyncCycle::SyncCycle(Dependencies dependencies)
    : dependencies_(dependencies),
      write_back_(dependencies.config.write_back),
      store_(dependencies.database, &write_back_),
      journal_(dependencies.database, &write_back_),
      read_marks_(dependencies.database),
      roster_reader_(dependencies.config.roster) {}

asio::awaitable<CycleReport> SyncCycle::run(CycleRequest request) {
  const auto started = std::chrono::steady_clock::now();
  dependencies_.client.counts() = CallCounts{};
  CycleReport report;

  try {
    if (!request.dry_run) {
      report.run_id = store_.begin_run(cycle_mode_name(request.mode));
    }
    co_await sync(request, report);

    // Appointments, when enabled: after staff and students, whose Blink ids they link to.
    const bool synced = report.outcome == RunOutcome::succeeded || report.outcome == RunOutcome::succeeded_with_errors;
    if (dependencies_.config.events.enabled && synced) {
      co_await EventSync(dependencies_).run(request, report);
    }
  } catch (const AuthenticationFailed& error) {
    report.outcome = RunOutcome::failed;
    report.message = error.what();
    report.token_rejected = true;
  } catch (const Interrupted&) {
    report.outcome = RunOutcome::interrupted;
    report.message = "stopped by shutdown before the plan was finished";
  } catch (const pqxx::broken_connection& error) {
    report.outcome = RunOutcome::failed;
    report.message = "the database connection was lost: " + describe_database_error(error);
  } catch (const pqxx::failure& error) {
    report.outcome = RunOutcome::failed;
    report.message = "a database statement failed: " + describe_database_error(error);
  } catch (const std::exception& error) {
    report.outcome = RunOutcome::failed;
    report.message = one_line(error.what());
  }

  const auto& counts = dependencies_.client.counts();
  report.totals.api_calls = counts.requests;
  report.totals.denied = counts.denied;
  report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (report.run_id) {
    try {
      store_.finish_run(*report.run_id, report.outcome, report.totals, report.message);
    } catch (const std::exception& error) {
      spdlog::error("cycle: cannot record the end of cycle={} in blink_sync.runs: {}", *report.run_id, error.what());
    }
  }
  const bool completed = report.outcome == RunOutcome::succeeded || report.outcome == RunOutcome::succeeded_with_errors;
  forget_resolved_errors(dependencies_.database, completed ? report.run_id : std::nullopt);
  log_summary(request, report);
  co_return report;
}

asio::awaitable<void> SyncCycle::sync(CycleRequest request, CycleReport& report) {
  const auto& config = dependencies_.config;

  // Read what the last cycles recorded, then the roster in one snapshot,
  // with room for as many records as the mapping table contains.
  auto mapping = load_mapping(request.dry_run);
  const std::array<std::size_t, 3> expected_records = {
      mapping.size(Entity::student), mapping.size(Entity::student_login), mapping.size(Entity::staff)};
  auto desired = roster_reader_.read(dependencies_.database, validation_context(config.roster), expected_records);
  open_conflicts_ = ConflictStore(dependencies_.database).load_open();
  std::vector<RecordError> errors = std::move(desired.errors);
  retry_write_backs(request.dry_run, errors);

  // A roster that has not changed since the last sync needs no call at all.
  const auto assumed = assumed_plan(request, desired, mapping);
  const bool intents_open = !request.dry_run && !journal_.open_intents(config.sync.in_doubt_settle).empty();
  const auto marks = load_read_marks(request);
  if (assumed && assumed->empty() && !intents_open && !full_read_due(marks)) {
    errors.insert(errors.end(), assumed->errors.begin(), assumed->errors.end());
    for (const auto& error : errors) {
      report_error(report, mapping, error);
    }
    report.totals.errors = errors.size();
    report.outcome = errors.empty() ? RunOutcome::succeeded : RunOutcome::succeeded_with_errors;
    spdlog::debug("cycle: the roster has not changed since the last sync, so Blink was not read");
    co_return;
  }

  // Read Blink: in full, or only the records changed since the last read.
  ReadChoiceInput choice{assumed ? &*assumed : nullptr, request.mode == CycleMode::resync, intents_open, {}};
  for (std::size_t index = 0; index < marks.size(); ++index) {
    choice.incremental_possible[index] = marks[index] && !marks[index]->full_read_due;
  }
  std::array<ListReadSummary, 3> summaries{};
  RemoteReader reader(dependencies_.client, {config.blink.page_size, request.mode == CycleMode::resync});
  const auto remote = co_await reader.read(mapping, errors, choose_list_reads(choice), marks, summaries);

  // Settle what earlier cycles left in doubt, then plan.
  const auto held = settle_in_doubt(request.dry_run, remote, mapping, errors);
  report.held_in_doubt = held.size();
  store_remote_copy(request.dry_run, remote, summaries, mapping, desired, errors);
  auto options = plan_options(config.sync, request.mode, open_conflicts_, roster_takes());
  options.held_creates = &held;
  auto plan = plan_sync(desired, remote, mapping, options);
  const auto planned_student_removals = student_removal_ids(plan);
  auto hold = hold_mass_removals(plan, mapped_counts(mapping), removal_limits(config.sync), request.allowed_removals);

  // A student whose removal is held keeps its links too, so the plan is made
  // again with them, and the guard holds the same removals again.
  const auto sent_student_removals = student_removal_ids(plan);
  std::set<std::int64_t> held_students;
  std::set_difference(planned_student_removals.begin(), planned_student_removals.end(),
                      sent_student_removals.begin(), sent_student_removals.end(),
                      std::inserter(held_students, held_students.end()));
  if (!held_students.empty()) {
    options.held_student_removals = &held_students;
    plan = plan_sync(desired, remote, mapping, options);
    hold = hold_mass_removals(plan, mapped_counts(mapping), removal_limits(config.sync), request.allowed_removals);
  }
  errors.insert(errors.end(), plan.errors.begin(), plan.errors.end());
  report.held_removals = hold.held;
  log_removal_hold(hold);
  if (request.dry_run) {
    write_plan_report(dependencies_.plan_output, plan, errors);
    write_removal_hold(dependencies_.plan_output, hold);
    report.totals.done = count_operations(plan);
    report.totals.errors = errors.size();
    report.outcome = errors.empty() ? RunOutcome::succeeded : RunOutcome::succeeded_with_errors;
    co_return;
  }

  // Record the errors found so far, then execute.
  for (const auto& error : errors) {
    report_error(report, mapping, error);
  }
  report.totals.errors = errors.size();
  ExecutionResult result;
  read_marks_.forget_totals();
  Executor executor(
      {dependencies_.client, store_, journal_, mapping, remote, dependencies_.stop_requested, report.run_id,
       config.blink.page_size, pull_hook(remote, desired), &write_back_},
      [&](const RecordError& error) {
        report_error(report, mapping, error);
        ++report.totals.errors;
      },
      result);
  result.done.conflicts = record_conflicts(plan, mapping, report);
  try {
    co_await executor.run(plan);
  } catch (...) {
    report.totals.done = result.done;  // what was done before the failure still counts
    throw;
  }
  report.totals.done = result.done;
  finish_blink_edits(plan, mapping, report);
  report.outcome = outcome_of(result, report.totals.errors);
  save_read_marks(summaries, marks, result);
}

// Returns the roster planned against the mapping table alone, which shows
// whether anything must be sent and what. Returns nullopt for a dry run, a
// resync, or when every cycle must read Blink in full anyway.
std::optional<Plan> SyncCycle::assumed_plan(const CycleRequest& request, const DesiredState& desired,
                                            const IdentityMap& mapping) {
  const auto& sync = dependencies_.config.sync;
  if (request.dry_run || request.mode == CycleMode::resync || sync.reconcile_interval.count() == 0) {
    return std::nullopt;
  }
  return plan_sync(desired, assumed_remote(mapping), mapping, plan_options(sync, request.mode, open_conflicts_, roster_takes()));
}

// ---- Edits made in Blink and records that exist only there ----

// Returns the hook that writes fields pulled from Blink into the roster: the
// one the caller gave, else the changed_in_blink statement of the entity,
// else one that only logs. The statement's field parameters hold the
// pulled values, and the roster's own values for the other fields, so a
// column it writes never takes Blink's drift of a roster-owned field.
WriteBackHook SyncCycle::pull_hook(const RemoteState& remote, const DesiredState& desired) const {
  if (dependencies_.write_back) {
    return dependencies_.write_back;
  }
  return [&runner = write_back_, &remote, &desired](pqxx::work& transaction, Entity entity,
                                                   const std::string& local_id, std::int64_t blink_id,
                                                   const FieldValues& pulled) {
    if (!runner.configured(entity, WriteBackEvent::changed_in_blink)) {
      return log_only_write_back()(transaction, entity, local_id, blink_id, pulled);
    }
    const auto* roster = desired.of(entity).find(local_id);
    const auto values = changed_in_blink_values(entity, local_id, blink_id, remote.of(entity).find(blink_id),
                                                roster != nullptr ? &roster->fields : nullptr, pulled);
    return runner.run(transaction, WriteBackEvent::changed_in_blink, values);
  };
}

// Returns, by entity, the field slots the roster can take from Blink: every
// slot with the caller's hook, else those the changed_in_blink statement
// binds.
std::array<std::vector<bool>, 3> SyncCycle::roster_takes() const {
  std::array<std::vector<bool>, 3> takes{};
  if (dependencies_.write_back) {
    return takes;
  }
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    takes[static_cast<std::size_t>(entity)] = write_back_.fields_taken(entity);
  }
  return takes;
}

// Records the plan's new conflicts and closes the open ones that no longer
// hold, before any call, so a conflict is on record even when the cycle
// stops early.
std::size_t SyncCycle::record_conflicts(const Plan& plan, const IdentityMap& mapping, const CycleReport& report) {
  ConflictStore conflicts(dependencies_.database);
  conflicts.close_applied_earlier(mapping);
  conflicts.close(plan.resolved_conflicts);
  return conflicts.record(plan.conflicts, report.run_id);
}

// Closes the conflicts whose outcome was applied, and imports the
// Blink-only records.
void SyncCycle::finish_blink_edits(const Plan& plan, const IdentityMap& mapping, CycleReport& report) {
  ConflictStore conflicts(dependencies_.database);
  conflicts.close_applied(plan.conflicts, mapping);
  import_blink_only_records(dependencies_.database, plan.blink_only, dependencies_.config.sync.edits,
                            [&](const RecordError& error) {
                              report_error(report, mapping, error);
                              ++report.totals.errors;
                            });
}

// Returns where each list was last read; none for a dry run, or when
// incremental reads are switched off.
ReadMarkSet SyncCycle::load_read_marks(const CycleRequest& request) {
  const auto& sync = dependencies_.config.sync;
  if (request.dry_run || !sync.incremental_reads || sync.reconcile_interval.count() == 0) {
    return {};
  }
  return read_marks_.load(sync.reconcile_interval);
}

// Returns true when a list is due for its full read, or, with incremental
// reads switched off, when Blink was last read longer ago than the
// reconcile interval.
bool SyncCycle::full_read_due(const ReadMarkSet& marks) {
  const auto& sync = dependencies_.config.sync;
  if (!sync.incremental_reads) {
    return store_.blink_read_due(sync.reconcile_interval);
  }
  return std::any_of(marks.begin(), marks.end(), [](const auto& mark) { return !mark || mark->full_read_due; });
}

void SyncCycle::save_read_marks(const std::array<ListReadSummary, 3>& summaries, const ReadMarkSet& marks,
                                const ExecutionResult& result) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const auto index = static_cast<std::size_t>(entity);
    if (summaries[index].read) {
      read_marks_.save(entity, summaries[index], marks[index], result.net_records[index],
                       result.highest_created[index], result.newest_written[index]);
    } else if (marks[index] && result.net_records[index] == 0) {
      read_marks_.keep(entity, *marks[index]);
    }
  }
}

// A dry run reads the journal but writes nothing; before the schema is set
// up there is nothing to settle.
HeldRecords SyncCycle::settle_in_doubt(bool dry_run, const RemoteState& remote, IdentityMap& mapping,
                                       std::vector<RecordError>& errors) {
  if (dry_run && applied_schema_version(dependencies_.database) < kJournalSchemaVersion) {
    return {};
  }
  const auto intents = journal_.open_intents(dependencies_.config.sync.in_doubt_settle);
  return settle_open_intents(journal_, intents, remote, mapping, !dry_run, errors);
}

// A dry run changes nothing, so it reads the mapping only when the schema is
// already set up. Otherwise it plans as if nothing had been synced yet.
IdentityMap SyncCycle::load_mapping(bool dry_run) {
  if (dry_run && applied_schema_version(dependencies_.database) == 0) {
    return IdentityMap{};
  }
  return store_.load_mapping();
}

// Runs the write-backs that failed in earlier cycles again, before anything
// else, so a fixed statement or roster row catches up at once.
void SyncCycle::retry_write_backs(bool dry_run, std::vector<RecordError>& errors) {
  if (dry_run) {
    return;
  }
  auto failed = write_back_.retry_pending(dependencies_.database);
  errors.insert(errors.end(), std::make_move_iterator(failed.begin()), std::make_move_iterator(failed.end()));
}

// Stores what was read from Blink and runs the changed_in_blink
// write-backs. A dry run changes nothing.
void SyncCycle::store_remote_copy(bool dry_run, const RemoteState& remote,
                                  const std::array<ListReadSummary, 3>& summaries, const IdentityMap& mapping,
                                  const DesiredState& desired, std::vector<RecordError>& errors) {
  if (dry_run) {
    return;
  }
  auto failed = RemoteCopy(dependencies_.database, write_back_).store_read(remote, summaries, mapping, desired);
  errors.insert(errors.end(), std::make_move_iterator(failed.begin()), std::make_move_iterator(failed.end()));
}

// Messages carry no personal data by construction; what Blink or
// PostgreSQL wrote in them was masked where it was received.
void SyncCycle::report_error(const CycleReport& report, const IdentityMap& mapping, RecordError error) {
  if (!error.blink_id && !error.local_id.empty()) {
    if (const auto* mapped = mapping.find_local(error.entity, error.local_id)) {
      error.blink_id = mapped->blink_id;
    }
  }
  note_and_log_record_error(dependencies_.database, report.run_id, error);
  try {
    store_.record_error(report.run_id, error);
  } catch (const std::exception& failure) {
    spdlog::error("record error: cannot store it in blink_sync.record_errors: {}", describe_database_error(failure));
  }
}

void SyncCycle::log_summary(const CycleRequest& request, const CycleReport& report) const {
  const auto& done = report.totals.done;
  const auto& events = report.totals.events;
  const auto cycle = report.run_id ? std::to_string(*report.run_id) : std::string(request.dry_run ? "dry-run" : "unrecorded");
  const auto mode = request.dry_run ? std::string("dry-run") : std::string(cycle_mode_name(request.mode));
  spdlog::info(
      "cycle: finished cycle={} mode={} status={} created={} adopted={} updated={} linked={} discharged={} "
      "deleted={} held={} errors={} api_calls={} denied={} duration_ms={} drift={} pulled={} conflicts={} "
      "events_created={} events_updated={} events_deleted={}",
      cycle, mode, outcome_name(report.outcome), done.created, done.adopted, done.updated,
      done.linked, done.discharged, done.deleted, report.held_removals, report.totals.errors, report.totals.api_calls,
      report.totals.denied, report.duration.count(), done.drift, done.pulled, done.conflicts, events.created,
      events.updated, events.deleted);
  warn_if_retries_piled_up(cycle, dependencies_.client.counts());
  if (report.outcome == RunOutcome::failed) {
    spdlog::error("cycle: failed cycle={} mode={} message=\"{}\"", cycle, mode,
                  report.message);
  }
}

}  // namespace blink_sync
