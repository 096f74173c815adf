#include "daemon/event_sync.hpp"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/database_error.hpp"
#include "daemon/error_repeats.hpp"
#include "daemon/event_executor.hpp"
#include "daemon/event_reader.hpp"
#include "daemon/event_store.hpp"
#include "daemon/journal.hpp"
#include "daemon/migrations.hpp"
#include "daemon/store.hpp"
#include "mapping/text.hpp"

// NOTE: g++ 12 with optimisation reports -Wmismatched-new-delete on the
// frames of this file's coroutines. Boost.Asio allocates and frees each
// frame as a pair, so the warning is a false positive (as in executor.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace blink_sync {

namespace asio = boost::asio;

namespace {

constexpr const char* kStatusWriteBackKey = "events.write_back_status";
constexpr const char* kCreatedWriteBackKey = "events.write_back_created";

// Returns true once the migration that creates the event tables ran. The
// highest applied version cannot tell, because migrations from other
// branches may be numbered above it.
bool event_tables_exist(pqxx::connection& connection) {
  pqxx::read_transaction transaction(connection);
  return transaction.exec1("SELECT to_regclass('blink_sync.event_mapping') IS NOT NULL")[0].as<bool>();
}

bool event_read_mark_exists(pqxx::connection& connection) {
  pqxx::read_transaction transaction(connection);
  return transaction.exec1("SELECT to_regclass('blink_sync.event_read_mark') IS NOT NULL")[0].as<bool>();
}

EventWindow window_from_today(const EventsConfig& events) {
  const auto today = std::chrono::floor<date::days>(std::chrono::system_clock::now());
  return EventWindow{UtcTime{today - date::days(events.window_days_past)},
                     UtcTime{today + date::days(events.window_days_future + 1)}};
}

std::vector<std::int64_t> mapped_staff_ids(const IdentityMap& identities) {
  std::vector<std::int64_t> ids;
  for (const auto* record : identities.records(Entity::staff)) {
    ids.push_back(record->blink_id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Returns the staff id and UTC start of a create's natural key.
std::optional<std::pair<std::int64_t, UtcTime>> parse_natural_key(const std::string& key) {
  const auto start_at = key.find(" start=");
  if (key.rfind("staff=", 0) != 0 || start_at == std::string::npos) {
    return std::nullopt;
  }
  const auto start = parse_wall_time(key.substr(start_at + 7));
  if (!start) {
    return std::nullopt;
  }
  try {
    return std::make_pair(std::stoll(key.substr(6, start_at - 6)), UtcTime{start->time_since_epoch()});
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Returns true when `event` belongs to no mapped appointment.
bool unmapped(const RemoteEvent& event, const std::vector<SyncedEvent>& synced) {
  return std::none_of(synced.begin(), synced.end(), [&](const SyncedEvent& mapped) {
    return mapped.blink_event_id == event.id || (mapped.is_series() && event.series_id == mapped.blink_event_id);
  });
}

void write_plan(std::ostream& output, const EventPlan& plan, const std::vector<EventError>& errors) {
  for (const auto& operation : plan.operations) {
    output << "event " << event_action_name(operation.action) << " local_id=" << operation.local_id;
    if (operation.target_id) {
      output << " blink_event_id=" << *operation.target_id;
    }
    if (!operation.payload.empty()) {
      output << " " << operation.payload.dump();
    }
    output << "\n";
  }
  for (const auto& change : plan.status_changes) {
    output << "event status from Blink local_id=" << change.local_id << " blink_event_id=" << change.blink_event_id
           << " status=" << change.status << "\n";
  }
  for (const auto& error : errors) {
    output << "event error local_id=" << error.local_id << ": " << error.message << "\n";
  }
}

// Returns the roster's local ids of Blink ids, comma-separated; ids the
// mapping does not know are left out.
std::string local_ids_of(const IdentityMap& identities, Entity entity, const std::vector<std::int64_t>& ids) {
  std::vector<std::string> local_ids;
  for (const auto id : ids) {
    if (const auto* mapped = identities.find_blink(entity, id)) {
      local_ids.push_back(mapped->local_id);
    }
  }
  return join(local_ids, ",");
}

// The parameters of events.write_back_created for one event.
std::map<std::string, std::optional<std::string>> created_values(const RemoteEvent& event,
                                                                 const IdentityMap& identities) {
  const auto minutes = event.minutes();
  return {
      {"blink_event_id", std::to_string(event.id)},
      {"staff_local_ids", local_ids_of(identities, Entity::staff, event.staff_ids)},
      {"student_local_ids", local_ids_of(identities, Entity::student, event.student_ids)},
      {"title", event.title},
      {"start_utc", format_utc(event.start)},
      {"minutes", minutes ? std::optional<std::string>(std::to_string(*minutes)) : std::nullopt},
      {"all_day", event.all_day ? "true" : "false"},
      {"details", event.details},
      {"status", event.status},
  };
}

// The decisions on the open event intents.
struct Settlement {
  std::map<std::string, std::int64_t> found;  // local id -> the event a lost POST created
  std::set<std::string> in_doubt;             // creates still in doubt
};

// Returns the error of a write-back statement that failed in
// EventStore::save_read. The message leaves out the event's title and
// details, which may name a person.
EventError write_back_error(const FailedWriteBack& failure) {
  const auto& write_back = *failure.write_back;
  const auto subject = write_back.config_key == kStatusWriteBackKey
                           ? "for the status " + write_back.values.at("status").value_or("") + " set in Blink"
                           : std::string("for an event created in Blink");
  return EventError{write_back.local_id, write_back.blink_event_id, 0,
                    write_back.config_key + " failed " + subject + ": " + failure.database_message +
                        ". The events read from Blink in this cycle were not stored, so blink_sync.remote_events "
                        "keeps the earlier read and the write-back runs again next cycle. Correct the statement "
                        "(blink-sync check-config tests it) or the roster row it writes"};
}

void log_and_store_error(EventStore& store, std::optional<std::int64_t> run_id, const EventError& error) {
  spdlog::error("{}", format_record_error({"event", error.local_id, error.blink_event_id, error.http_status,
                                           error.message}));
  try {
    store.record_error(run_id, error);
  } catch (const std::exception& failure) {
    spdlog::error("record error: cannot store it in blink_sync.record_errors: {}", describe_database_error(failure));
  }
}

void add_totals(const EventTotals& totals, CycleReport& report) {
  report.totals.events.created += totals.created;
  report.totals.events.updated += totals.updated;
  report.totals.events.deleted += totals.deleted;
  report.totals.errors += totals.errors;
  if (totals.interrupted) {
    report.outcome = RunOutcome::interrupted;
  } else if (totals.errors > 0 && report.outcome == RunOutcome::succeeded) {
    report.outcome = RunOutcome::succeeded_with_errors;
  }
}

}  // namespace

// Everything a plan is made from.
struct EventSync::Inputs {
  bool schema_ready = false;
  bool marks_ready = false;  // blink_sync.event_read_mark exists
  RosterEvents roster;
  std::vector<EventError> errors;
  IdentityMap identities;
  std::vector<SyncedEvent> synced;
  std::map<std::int64_t, std::string> previous_status;
  std::map<std::int64_t, std::string> previous_owners;
  EventWindow window;
  std::vector<std::int64_t> staff_ids;
  std::vector<RemoteEvent> remote;
};

asio::awaitable<void> EventSync::run(const CycleRequest& request, CycleReport& report) {
  EventStore store(dependencies_.database);
  EventReader reader(dependencies_.client, dependencies_.config.blink.page_size);

  auto inputs = read_local_inputs(store);
  const auto digest = read_digest(inputs);
  if (read_can_wait(request, store, inputs, digest)) {
    spdlog::debug("events: the appointments have not changed since the last read, so Blink was not read");
    co_return;
  }
  inputs.remote = co_await reader.read(inputs.staff_ids, inputs.window, inputs.errors);
  const auto in_doubt = co_await settle(request.dry_run, store, reader, inputs);
  const EventPlanInput plan_input{inputs.roster.events, inputs.roster.invalid_local_ids,
                                  inputs.remote,        inputs.synced,
                                  inputs.identities,    inputs.window,
                                  inputs.previous_status, inputs.previous_owners,
                                  in_doubt};
  const auto plan = plan_events(plan_input);
  auto& errors = inputs.errors;
  errors.insert(errors.end(), plan.errors.begin(), plan.errors.end());
  if (request.dry_run) {
    write_plan(dependencies_.plan_output, plan, errors);
    report.totals.errors += errors.size();
    co_return;
  }

  store_read(store, inputs, plan);
  EventTotals totals;
  const auto report_error = [&](const EventError& error) {
    log_and_store_error(store, report.run_id, error);
    ++totals.errors;
  };
  for (const auto& error : errors) {
    report_error(error);
  }
  EventExecutor executor({dependencies_.client, store, dependencies_.stop_requested, report.run_id}, report_error,
                         totals);
  try {
    co_await executor.run(plan.operations);
  } catch (...) {
    add_totals(totals, report);  // what was done before the failure still counts
    throw;
  }

  // The writes are counted on the cycle's summary line as events_created=,
  // events_updated= and events_deleted=, apart from the record counts.
  add_totals(totals, report);
  const bool nothing_to_do = plan.operations.empty() && plan.status_changes.empty() && totals.errors == 0;
  save_read_mark(store, inputs, nothing_to_do ? std::optional<std::string>(digest) : std::nullopt);
  spdlog::info("events: finished read={} status_changes={} errors={}", inputs.remote.size(),
               plan.status_changes.size(), totals.errors);
}

// Reads the roster's appointments and the mappings: everything but Blink.
EventSync::Inputs EventSync::read_local_inputs(EventStore& store) {
  const auto& config = dependencies_.config;
  auto& database = dependencies_.database;
  const auto schema_version = applied_schema_version(database);

  Inputs inputs;
  inputs.schema_ready = schema_version > 0 && event_tables_exist(database);
  inputs.roster = read_roster_events(database, config.events.query, config.roster.default_timezone);
  inputs.errors = std::move(inputs.roster.errors);
  if (schema_version > 0) {
    inputs.identities = Store(database).load_mapping();
  }
  if (inputs.schema_ready) {
    inputs.synced = store.load_mapping();
    store.load_read(inputs.previous_status, inputs.previous_owners);
  }

  inputs.marks_ready = inputs.schema_ready && event_read_mark_exists(database);

  inputs.window = window_from_today(config.events);
  inputs.staff_ids = mapped_staff_ids(inputs.identities);
  return inputs;
}

// Returns a digest of what a read of Blink's events is planned from: the
// appointment rows, the window, the mapped staff, the Blink ids of the
// people the appointments name, and the event mapping.
std::string EventSync::read_digest(const Inputs& inputs) {
  std::string text = inputs.roster.rows_digest;
  text += '\n' + format_utc(inputs.window.from) + ' ' + format_utc(inputs.window.to) + '\n';
  for (const auto id : inputs.staff_ids) {
    text += std::to_string(id) + ',';
  }
  text += '\n';
  const auto append_ids = [&](Entity entity, const std::vector<std::string>& local_ids) {
    for (const auto& local_id : local_ids) {
      const auto* mapped = inputs.identities.find_local(entity, local_id);
      text += mapped == nullptr ? std::string("-") : std::to_string(mapped->blink_id);
      text += ',';
    }
    text += ';';
  };
  for (const auto& event : inputs.roster.events) {
    append_ids(Entity::staff, event.staff_local_ids);
    append_ids(Entity::student, event.student_local_ids);
  }
  text += '\n';
  for (const auto& synced : inputs.synced) {
    text += synced.local_id + '=' + std::to_string(synced.blink_event_id) + ' ' + encode_synced_event(synced) + '\n';
  }
  return sha256_hex(text);
}

// Returns true when Blink's events need not be read this cycle. That needs
// events.skip_unchanged_reads, a cycle other than a resync, no appointment
// row in error and no write left in doubt. The last read must also have
// found nothing to do and been planned from the same digest less than
// sync.reconcile_interval_seconds ago.
bool EventSync::read_can_wait(const CycleRequest& request, EventStore& store, const Inputs& inputs,
                              const std::string& digest) {
  if (!dependencies_.config.events.skip_unchanged_reads || request.mode == CycleMode::resync ||
      !inputs.marks_ready || !inputs.errors.empty()) {
    return false;
  }
  const auto& sync = dependencies_.config.sync;
  return store.open_intents(sync.in_doubt_settle).empty() && store.read_mark_matches(digest, sync.reconcile_interval);
}

// Stores the digest of a read that found nothing to do, or deletes the
// stored one, so that the next cycle reads Blink again.
void EventSync::save_read_mark(EventStore& store, const Inputs& inputs, const std::optional<std::string>& digest) {
  if (!inputs.marks_ready) {
    return;
  }
  if (digest) {
    store.save_read_mark(*digest);
  } else {
    store.clear_read_mark();
  }
}

// Settles the event writes an earlier cycle left in doubt. A create is
// looked up by its staff member and start. When found, the roster row
// claims that event. When not found and settled, it may be sent again, and
// otherwise it waits. An update or delete is planned again from this read.
// Returns the appointments whose create still waits.
asio::awaitable<std::set<std::string>> EventSync::settle(bool dry_run, EventStore& store, EventReader& reader,
                                                         Inputs& inputs) {
  Settlement settlement;
  std::vector<OpenEventIntent> open;
  if (inputs.schema_ready) {
    open = store.open_intents(dependencies_.config.sync.in_doubt_settle);
  }

  for (const auto& intent : open) {
    IntentEnd end{IntentOutcome::superseded, false, std::nullopt, std::nullopt, KeepMapping{}, ""};
    if (intent.operation == IntentOperation::create) {
      const auto match = co_await find_lost_create(reader, intent, inputs);
      if (match) {
        settlement.found[intent.local_id] = *match;
        end = IntentEnd{IntentOutcome::found, false, std::nullopt, match, KeepMapping{}, "found by staff and start"};
      } else if (intent.settled) {
        end = IntentEnd{IntentOutcome::not_applied, false, std::nullopt, std::nullopt, KeepMapping{},
                        "no event with this staff member and start in Blink"};
      } else {
        settlement.in_doubt.insert(intent.local_id);
        inputs.errors.push_back(EventError{
            intent.local_id, std::nullopt, 0,
            "not created again yet: an earlier create got no response, or the daemon stopped before its outcome "
            "was recorded, and Blink shows no event with this staff member and start. It is held, so no "
            "duplicate is made: it is looked up again each cycle and sent again only once "
            "sync.in_doubt_settle_seconds have passed without Blink showing it"});
        continue;
      }
    }
    if (!dry_run) {
      store.close_intent(intent.id, end, EventMappingChange{});
    }
  }

  for (auto& event : inputs.roster.events) {
    const auto found = settlement.found.find(event.local_id);
    if (found != settlement.found.end() && !event.blink_event_id) {
      event.blink_event_id = found->second;
    }
  }
  co_return settlement.in_doubt;
}

// Reads the day of a lost create for its staff member, whatever the window,
// and returns an unmapped event that starts when the create did. The event
// is added to the read events, so the planner can map it.
asio::awaitable<std::optional<std::int64_t>> EventSync::find_lost_create(EventReader& reader,
                                                                         const OpenEventIntent& intent,
                                                                         Inputs& inputs) {
  const auto key = parse_natural_key(intent.natural_key);
  if (!key) {
    co_return std::nullopt;
  }
  const auto day = std::chrono::floor<date::days>(key->second);
  const std::vector<std::int64_t> staff = {key->first};
  const EventWindow day_window{UtcTime{day}, UtcTime{day + date::days(1)}};
  std::vector<EventError> lookup_errors;
  const auto candidates = co_await reader.read(staff, day_window, lookup_errors);

  for (const auto& candidate : candidates) {
    if (candidate.start != key->second || !unmapped(candidate, inputs.synced)) {
      continue;
    }
    const auto already_read = std::any_of(inputs.remote.begin(), inputs.remote.end(),
                                          [&](const RemoteEvent& event) { return event.id == candidate.id; });
    if (!already_read) {
      inputs.remote.push_back(candidate);
    }
    co_return candidate.id;
  }
  co_return std::nullopt;
}

// Stores what was read, with the statuses from Blink written back in the
// same transaction. A failing write-back statement stores nothing, so the
// statuses and new events are found again and written back once it works.
void EventSync::store_read(EventStore& store, Inputs& inputs, const EventPlan& plan) {
  const auto& events = dependencies_.config.events;
  std::optional<PositionalStatement> status_statement;
  std::optional<PositionalStatement> created_statement;
  std::vector<WriteBack> write_backs;
  if (events.write_back_status) {
    status_statement =
        std::get<PositionalStatement>(to_positional(*events.write_back_status, status_write_back_parameters()));
    for (const auto& change : plan.status_changes) {
      write_backs.push_back(WriteBack{&*status_statement,
                                      {{"local_id", change.local_id},
                                       {"blink_event_id", std::to_string(change.blink_event_id)},
                                       {"status", change.status}},
                                      kStatusWriteBackKey,
                                      change.local_id,
                                      change.blink_event_id});
    }
  }
  if (events.write_back_created) {
    created_statement =
        std::get<PositionalStatement>(to_positional(*events.write_back_created, created_write_back_parameters()));
    for (const auto& event : inputs.remote) {
      if (!plan.owners.count(event.id) && !inputs.previous_status.count(event.id)) {
        write_backs.push_back(WriteBack{&*created_statement, created_values(event, inputs.identities),
                                        kCreatedWriteBackKey, "", event.id});
      }
    }
  }

  const auto failure = store.save_read(inputs.remote, plan.owners, inputs.window, inputs.staff_ids, write_backs);
  if (failure) {
    inputs.errors.push_back(write_back_error(*failure));
  }
}

}  // namespace blink_sync
