#include "daemon/event_sync.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/database_error.hpp"
#include "daemon/event_executor.hpp"
#include "daemon/event_reader.hpp"
#include "daemon/event_store.hpp"
#include "daemon/migrations.hpp"
#include "daemon/store.hpp"

namespace blink_sync {

namespace asio = boost::asio;

namespace {

// The migration that created the event tables.
constexpr int kEventSchemaVersion = 7;

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

// What the settlement of open intents decided.
struct Settlement {
  std::map<std::string, std::int64_t> found;  // local id -> the event a lost POST created
  std::set<std::string> held;                 // creates still in doubt
};

}  // namespace

asio::awaitable<void> EventSync::run(const CycleRequest& request, CycleReport& report) {
  const auto& config = dependencies_.config;
  auto& database = dependencies_.database;
  const auto schema_version = applied_schema_version(database);
  const bool schema_ready = schema_version >= kEventSchemaVersion;
  EventStore store(database);

  // Read the roster, the mappings and Blink.
  auto roster = read_roster_events(database, config.events.query, config.roster.default_timezone);
  std::vector<EventError> errors = std::move(roster.errors);
  const auto identities = schema_version > 0 ? Store(database).load_mapping() : IdentityMap{};
  const auto synced = schema_ready ? store.load_mapping() : std::vector<SyncedEvent>{};
  std::map<std::int64_t, std::string> previous_status;
  std::map<std::int64_t, std::string> previous_owners;
  if (schema_ready) {
    store.load_read(previous_status, previous_owners);
  }
  const auto window = window_from_today(config.events);
  const auto staff_ids = mapped_staff_ids(identities);
  EventReader reader(dependencies_.client, config.blink.page_size);
  auto remote = co_await reader.read(staff_ids, window, errors);

  // Settle event writes left in doubt by an earlier cycle.
  Settlement settlement;
  const auto open = schema_ready ? store.open_intents(config.sync.in_doubt_settle) : std::vector<OpenEventIntent>{};
  for (const auto& intent : open) {
    IntentEnd end{IntentOutcome::superseded, false, std::nullopt, std::nullopt, KeepMapping{}, ""};
    if (intent.operation == IntentOperation::create) {
      const auto key = parse_natural_key(intent.natural_key);
      std::optional<std::int64_t> match;
      if (key) {
        const auto day = std::chrono::floor<date::days>(key->second);
        std::vector<EventError> lookup_errors;
        const std::vector<std::int64_t> staff = {key->first};
        const EventWindow day_window{UtcTime{day}, UtcTime{day + date::days(1)}};
        auto candidates = co_await reader.read(staff, day_window, lookup_errors);
        for (auto& candidate : candidates) {
          if (candidate.start == key->second && unmapped(candidate, synced) && !match) {
            match = candidate.id;
            if (std::none_of(remote.begin(), remote.end(), [&](const RemoteEvent& e) { return e.id == candidate.id; })) {
              remote.push_back(candidate);
            }
          }
        }
      }
      if (match) {
        settlement.found[intent.local_id] = *match;
        end = IntentEnd{IntentOutcome::found, false, std::nullopt, match, KeepMapping{}, "found by staff and start"};
      } else if (intent.settled) {
        end = IntentEnd{IntentOutcome::not_applied, false, std::nullopt, std::nullopt, KeepMapping{},
                        "no event with this staff member and start in Blink"};
      } else {
        settlement.held.insert(intent.local_id);
        continue;
      }
    }
    if (!request.dry_run) {
      store.close_intent(intent.id, end, EventMappingChange{});
    }
  }
  for (auto& event : roster.events) {
    const auto found = settlement.found.find(event.local_id);
    if (found != settlement.found.end() && !event.blink_event_id) {
      event.blink_event_id = found->second;
    }
  }

  // Plan.
  const EventPlanInput input{roster.events, roster.invalid_local_ids, remote,          synced,         identities,
                             window,        previous_status,          previous_owners, settlement.held};
  auto plan = plan_events(input);
  errors.insert(errors.end(), plan.errors.begin(), plan.errors.end());
  if (request.dry_run) {
    write_plan(dependencies_.plan_output, plan, errors);
    report.totals.errors += errors.size();
    co_return;
  }

  // Store what was read, with the status changes written back, then execute.
  std::optional<PositionalStatement> write_back;
  if (config.events.write_back_status) {
    write_back = std::get<PositionalStatement>(
        to_positional(*config.events.write_back_status, status_write_back_parameters()));
  }
  try {
    store.save_read(remote, plan.owners, window, staff_ids, plan.status_changes, write_back);
  } catch (const pqxx::sql_error& error) {
    errors.push_back(EventError{"", std::nullopt, 0,
                                "events.write_back_status failed: " + describe_database_error(error) +
                                    "; the statuses read from Blink are written back once the statement works"});
  }

  EventTotals totals;
  const auto report_error = [&](const EventError& error) {
    spdlog::error("record error: entity=event local_id={} blink_id={} status={} message=\"{}\"", error.local_id,
                  error.blink_event_id ? std::to_string(*error.blink_event_id) : std::string("none"),
                  error.http_status, one_line(error.message));
    try {
      store.record_error(report.run_id, error);
    } catch (const std::exception& failure) {
      spdlog::error("record error: cannot store it in blink_sync.record_errors: {}",
                    describe_database_error(failure));
    }
    ++totals.errors;
  };
  for (const auto& error : errors) {
    report_error(error);
  }
  EventExecutor executor({dependencies_.client, store, dependencies_.stop_requested, report.run_id}, report_error,
                         totals);
  co_await executor.run(plan.operations);

  // Add to the cycle's totals.
  report.totals.done.created += totals.created;
  report.totals.done.updated += totals.updated;
  report.totals.done.deleted += totals.deleted;
  report.totals.errors += totals.errors;
  if (totals.interrupted) {
    report.outcome = RunOutcome::interrupted;
  } else if (totals.errors > 0 && report.outcome == RunOutcome::succeeded) {
    report.outcome = RunOutcome::succeeded_with_errors;
  }
  spdlog::info("events: finished read={} created={} updated={} deleted={} status_changes={} errors={}",
               remote.size(), totals.created, totals.updated, totals.deleted, plan.status_changes.size(),
               totals.errors);
}

}  // namespace blink_sync
