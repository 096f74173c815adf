#include "mapping/event_planner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <variant>
#include <unordered_map>

#include "mapping/blink_payload.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

// A roster appointment with its people resolved to Blink ids and its start
// converted to UTC.
struct ResolvedEvent {
  const DesiredEvent* desired = nullptr;
  std::vector<std::int64_t> staff_ids;
  std::vector<std::int64_t> student_ids;
  UtcTime start{};
};

// The read events of a mapped appointment: the event a PUT or DELETE goes
// to (a series' first event still in Blink) and every event that belongs
// to it.
struct RemoteMatch {
  const RemoteEvent* anchor = nullptr;
  std::vector<const RemoteEvent*> members;
  std::vector<const RemoteEvent*> detached;  // taken out of the series in Blink
};

// Blink takes id lists as comma-separated text without spaces ("44,232").
std::string ids_text(const std::vector<std::int64_t>& ids) { return join_ids(ids); }

std::variant<std::vector<std::int64_t>, std::string> resolve_ids(const IdentityMap& identities, Entity entity,
                                                                 const std::vector<std::string>& local_ids) {
  std::vector<std::int64_t> ids;
  std::vector<std::string> missing;
  for (const auto& local_id : local_ids) {
    if (const auto* mapped = identities.find_local(entity, local_id)) {
      ids.push_back(mapped->blink_id);
    } else {
      missing.push_back(local_id);
    }
  }
  if (!missing.empty()) {
    return std::string(entity == Entity::staff ? "staff" : "students") + " " + join(missing, ", ") +
           " have no Blink id yet (not synced, or in error); the event is sent once they are synced";
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::variant<ResolvedEvent, std::string> resolve(const DesiredEvent& desired, const IdentityMap& identities) {
  ResolvedEvent resolved;
  resolved.desired = &desired;

  auto staff = resolve_ids(identities, Entity::staff, desired.staff_local_ids);
  if (const auto* problem = std::get_if<std::string>(&staff)) {
    return *problem;
  }
  resolved.staff_ids = std::get<std::vector<std::int64_t>>(std::move(staff));

  auto students = resolve_ids(identities, Entity::student, desired.student_local_ids);
  if (const auto* problem = std::get_if<std::string>(&students)) {
    return *problem;
  }
  resolved.student_ids = std::get<std::vector<std::int64_t>>(std::move(students));

  auto start = to_utc(desired.start, desired.timezone);
  if (const auto* problem = std::get_if<std::string>(&start)) {
    return "start " + *problem;
  }
  resolved.start = std::get<UtcTime>(start);
  return resolved;
}

json minutes_value(const std::optional<int>& minutes) {
  return minutes ? json(*minutes) : json("allday");
}

SyncedEvent synced_copy(const ResolvedEvent& event, std::int64_t blink_event_id) {
  const auto& desired = *event.desired;
  SyncedEvent synced;
  synced.local_id = desired.local_id;
  synced.blink_event_id = blink_event_id;
  synced.recurrence = desired.recurrence;
  synced.staff_ids = event.staff_ids;
  synced.student_ids = event.student_ids;
  synced.title = event.student_ids.empty() ? desired.title : std::string();
  synced.details = desired.details;
  synced.type_id = desired.type_id;
  synced.minutes = desired.minutes;
  synced.start = desired.start;
  synced.timezone = desired.timezone;
  return synced;
}

// The POST body: every required key, the series keys, and the optional
// ones the roster gives.
EventOperation create_operation(const ResolvedEvent& event) {
  const auto& desired = *event.desired;
  EventOperation operation;
  operation.action = EventAction::create;
  operation.local_id = desired.local_id;

  auto& payload = operation.payload;
  payload["linked_staff_ids"] = ids_text(event.staff_ids);
  payload["timezone"] = desired.timezone;
  payload["start"] = format_wall_minutes(desired.start);
  payload["minutes"] = minutes_value(desired.minutes);
  if (!event.student_ids.empty()) {
    payload["linked_student_ids"] = ids_text(event.student_ids);
  } else {
    payload["title"] = desired.title;
  }
  if (desired.recurrence) {
    payload["recurring"] = 1;
    payload["frequency"] = desired.recurrence->frequency_weeks;
    payload["frequency_ending_after"] = desired.recurrence->occurrences;
  }
  if (!desired.details.empty()) {
    payload["details"] = desired.details;
  }
  if (desired.type_id) {
    payload["type_id"] = *desired.type_id;
  }

  operation.synced = synced_copy(event, 0);
  // A new event is Scheduled. A roster status other than that is sent by
  // a PUT in the next cycle, because a POST takes no status.
  operation.synced.roster_status = desired.status ? std::string(kScheduled) : std::string();
  operation.natural_key = event_natural_key(event.staff_ids.front(), event.start);
  return operation;
}

// Finds the read events of a mapped appointment: the event itself, or the
// events of its series, earliest first.
RemoteMatch find_remote(const SyncedEvent& synced, const std::vector<RemoteEvent>& remote) {
  RemoteMatch match;
  for (const auto& event : remote) {
    const bool member = event.id == synced.blink_event_id ||
                        (synced.is_series() && event.series_id == synced.blink_event_id);
    if (member) {
      match.members.push_back(&event);
    }
  }
  std::sort(match.members.begin(), match.members.end(),
            [](const RemoteEvent* left, const RemoteEvent* right) { return left->start < right->start; });
  if (!match.members.empty()) {
    match.anchor = match.members.front();
  }
  return match;
}

// Returns true when some event of the appointment, as last synced, starts
// inside the window, so a read that did not find it means it is gone.
bool expected_in_window(const SyncedEvent& synced, const EventWindow& window) {
  const int count = synced.recurrence ? synced.recurrence->occurrences : 1;
  const int frequency = synced.recurrence ? synced.recurrence->frequency_weeks : 1;
  for (int index = 0; index < count; ++index) {
    const auto start = to_utc(occurrence_start(synced.start, frequency, index), synced.timezone);
    if (const auto* instant = std::get_if<UtcTime>(&start); instant && window.contains(*instant)) {
      return true;
    }
  }
  return false;
}

// Returns true when no event of the appointment starts at or after the
// start of the window: an appointment wholly in the past is not created.
bool wholly_before(const ResolvedEvent& event, const EventWindow& window) {
  const auto& desired = *event.desired;
  if (!desired.recurrence) {
    return event.start < window.from;
  }
  const auto last = occurrence_start(desired.start, desired.recurrence->frequency_weeks,
                                     desired.recurrence->occurrences - 1);
  const auto last_utc = to_utc(last, desired.timezone);
  const auto* instant = std::get_if<UtcTime>(&last_utc);
  return instant != nullptr && *instant < window.from;
}

// Blink's event as the last-synced copy describes it, for an appointment
// outside the read window.
RemoteEvent assumed_remote(const SyncedEvent& synced) {
  RemoteEvent event;
  event.id = synced.blink_event_id;
  event.series_id = synced.is_series() ? std::optional<std::int64_t>(synced.blink_event_id) : std::nullopt;
  event.staff_ids = synced.staff_ids;
  event.student_ids = synced.student_ids;
  event.title = synced.title;
  event.details = synced.details;
  event.type_id = synced.type_id;
  event.status = synced.blink_status;
  event.all_day = !synced.minutes;
  const auto start = to_utc(synced.start, synced.timezone);
  event.start = std::holds_alternative<UtcTime>(start) ? std::get<UtcTime>(start) : UtcTime{};
  event.end = event.start + std::chrono::minutes(synced.minutes.value_or(0));
  return event;
}

// Returns which occurrence of the series `anchor` is, counted from the
// series' first start as last synced.
int occurrence_index(const SyncedEvent& synced, const RemoteEvent& anchor) {
  const auto local = to_local(anchor.start, synced.timezone);
  if (!local || !synced.recurrence) {
    return 0;
  }
  const auto days = (std::chrono::floor<date::days>(*local) - std::chrono::floor<date::days>(synced.start)).count();
  const double weeks = static_cast<double>(days) / (7.0 * synced.recurrence->frequency_weeks);
  return std::max(0, static_cast<int>(std::lround(weeks)));
}

struct Planner {
  const EventPlanInput& input;
  EventPlan plan;
  std::vector<EventOperation> records;
  std::vector<EventOperation> creates;
  std::vector<EventOperation> updates;
  std::vector<EventOperation> deletes;
  std::unordered_map<std::string, const SyncedEvent*> synced_by_local;
  std::unordered_map<std::int64_t, const RemoteEvent*> remote_by_id;
  std::set<std::int64_t> mapped_ids;

  void error(const std::string& local_id, std::optional<std::int64_t> blink_id, std::string message) {
    plan.errors.push_back(EventError{local_id, blink_id, 0, std::move(message)});
  }

  void index() {
    for (const auto& synced : input.synced) {
      synced_by_local.emplace(synced.local_id, &synced);
      mapped_ids.insert(synced.blink_event_id);
    }
    for (const auto& event : input.remote) {
      remote_by_id.emplace(event.id, &event);
    }
  }

  void plan_desired(const DesiredEvent& desired) {
    auto resolved = resolve(desired, input.identities);
    if (const auto* problem = std::get_if<std::string>(&resolved)) {
      const auto* synced = synced_by_local.count(desired.local_id) ? synced_by_local[desired.local_id] : nullptr;
      error(desired.local_id, synced ? std::optional(synced->blink_event_id) : std::nullopt, *problem);
      return;
    }
    const auto& event = std::get<ResolvedEvent>(resolved);

    const auto found = synced_by_local.find(desired.local_id);
    if (found != synced_by_local.end()) {
      plan_mapped(event, *found->second);
      return;
    }
    if (const auto* claimed = claimed_event(desired)) {
      adopt(event, *claimed);
      return;
    }
    if (input.in_doubt.count(desired.local_id) || wholly_before(event, input.window)) {
      return;
    }
    creates.push_back(create_operation(event));
  }

  // Returns the unmapped Blink event the row names in blink_event_id.
  const RemoteEvent* claimed_event(const DesiredEvent& desired) {
    if (!desired.blink_event_id) {
      return nullptr;
    }
    const auto found = remote_by_id.find(*desired.blink_event_id);
    if (found == remote_by_id.end() || mapped_ids.count(found->second->id) ||
        (found->second->series_id && mapped_ids.count(*found->second->series_id))) {
      return nullptr;
    }
    return found->second;
  }

  // Maps a row to the Blink event it names, then plans it like any mapped
  // appointment.
  void adopt(const ResolvedEvent& event, const RemoteEvent& remote) {
    const auto& desired = *event.desired;
    if (desired.recurrence && !remote.series_id) {
      error(desired.local_id, remote.id, "the row is a series but Blink event " + std::to_string(remote.id) +
                                             " is a single event; Blink cannot turn it into a series");
      return;
    }
    auto synced = std::make_unique<SyncedEvent>();
    synced->local_id = desired.local_id;
    synced->blink_event_id = desired.recurrence ? *remote.series_id : remote.id;
    synced->recurrence = desired.recurrence;
    synced->start = desired.start;
    synced->timezone = desired.timezone;
    synced->blink_status = remote.status;
    synced->roster_status = desired.status.value_or("");
    mapped_ids.insert(synced->blink_event_id);
    plan.owners[remote.id] = desired.local_id;

    // The copy is empty, so the plan ends in an update or a record that
    // saves the mapping.
    adopted.push_back(std::move(synced));
    plan_mapped(event, *adopted.back());
  }

  void plan_mapped(const ResolvedEvent& event, const SyncedEvent& synced) {
    const auto& desired = *event.desired;
    if (desired.recurrence.has_value() != synced.is_series()) {
      error(desired.local_id, synced.blink_event_id,
            desired.recurrence ? "the appointment became a series; Blink cannot turn a single event into a series, "
                                 "so give the series a new local_id (the old event is then deleted)"
                               : "the appointment is no longer a series; Blink cannot turn a series into a single "
                                 "event, so give it a new local_id (the series is then deleted)");
      return;
    }
    if (desired.recurrence && *desired.recurrence != *synced.recurrence) {
      error(desired.local_id, synced.blink_event_id,
            "frequency or occurrences changed; Blink cannot change them on an existing series, so give the "
            "series a new local_id (the old series is then deleted)");
      return;
    }

    auto match = find_remote(synced, input.remote);
    for (const auto* member : match.members) {
      plan.owners[member->id] = desired.local_id;
    }
    add_detached(desired.local_id, match);
    if (!match.anchor && expected_in_window(synced, input.window)) {
      // Deleted in Blink. The roster still lists it, so it is created again.
      // NOTE: an event relinked in Blink to staff the mapping does not know
      // is not in any list read, so it is taken for deleted too.
      if (!input.in_doubt.count(desired.local_id)) {
        auto create = create_operation(event);
        create.synced.roster_status = synced.roster_status;
        creates.push_back(std::move(create));
      }
      return;
    }

    const auto assumed = assumed_remote(synced);
    const RemoteEvent& anchor = match.anchor ? *match.anchor : assumed;
    diff(event, synced, anchor, match);
  }

  // Adds the events that belonged to the appointment at the last read and
  // that a person has since taken out of its series, for their statuses.
  // NOTE: an event taken out of its series before any read saw it in the
  // series (within one poll interval of the create) is not recognised and
  // is stored as created in Blink.
  void add_detached(const std::string& local_id, RemoteMatch& match) {
    for (const auto& event : input.remote) {
      const auto owner = input.previous_owners.find(event.id);
      const bool detached = owner != input.previous_owners.end() && owner->second == local_id &&
                            !mapped_ids.count(event.id) && !plan.owners.count(event.id);
      if (detached) {
        plan.owners[event.id] = local_id;
        match.detached.push_back(&event);
      }
    }
  }

  void diff(const ResolvedEvent& event, const SyncedEvent& synced, const RemoteEvent& anchor,
            const RemoteMatch& match) {
    const auto& desired = *event.desired;
    EventOperation operation;
    operation.action = EventAction::update;
    operation.local_id = desired.local_id;
    operation.target_id = anchor.id;
    auto& payload = operation.payload;

    if (event.staff_ids != anchor.staff_ids) {
      payload["linked_staff_ids"] = ids_text(event.staff_ids);
    }
    if (!event.student_ids.empty() && event.student_ids != anchor.student_ids) {
      payload["linked_student_ids"] = ids_text(event.student_ids);
    }
    if (event.student_ids.empty() && (!anchor.student_ids.empty() || desired.title != anchor.title)) {
      payload["title"] = desired.title;
    }
    if (desired.details != anchor.details) {
      payload["details"] = desired.details;
    }
    if (desired.type_id != anchor.type_id) {
      payload["type_id"] = desired.type_id.value_or(0);
    }
    if (desired.minutes != anchor.minutes()) {
      payload["minutes"] = minutes_value(desired.minutes);
    }
    if (!diff_start(event, synced, anchor, payload)) {
      return;
    }

    operation.synced = synced_copy(event, synced.blink_event_id);
    operation.synced.roster_status = desired.status.value_or("");
    operation.synced.blink_status = anchor.status;
    diff_status(event, synced, anchor, match, operation);
    finish(std::move(operation), synced, anchor);
  }

  // Adds `start` when the anchor is not where the roster puts it. Returns
  // false after an error.
  bool diff_start(const ResolvedEvent& event, const SyncedEvent& synced, const RemoteEvent& anchor, json& payload) {
    const auto& desired = *event.desired;
    auto expected_local = desired.start;
    if (desired.recurrence) {
      expected_local = occurrence_start(desired.start, desired.recurrence->frequency_weeks,
                                        occurrence_index(synced, anchor));
    }
    const auto expected = to_utc(expected_local, desired.timezone);
    if (const auto* problem = std::get_if<std::string>(&expected)) {
      error(desired.local_id, anchor.id, "start of the series' next event " + *problem);
      return false;
    }
    if (std::get<UtcTime>(expected) != anchor.start) {
      payload["start"] = format_wall_minutes(expected_local);
    }
    return true;
  }

  // The status is owned by whichever side changed it: the roster's change
  // is sent, Blink's is kept and reported for writing back.
  void diff_status(const ResolvedEvent& event, const SyncedEvent& synced, const RemoteEvent& anchor,
                   const RemoteMatch& match, EventOperation& operation) {
    const auto& desired = *event.desired;
    const bool roster_changed = desired.status && *desired.status != synced.roster_status && !synced.is_series();
    if (roster_changed && *desired.status != anchor.status) {
      operation.payload["status"] = *desired.status;
      operation.synced.blink_status = *desired.status;
    }

    auto members = match.members;
    members.insert(members.end(), match.detached.begin(), match.detached.end());
    for (const auto* member : members) {
      const auto previous = input.previous_status.find(member->id);
      const auto& base = previous != input.previous_status.end() ? previous->second
                         : synced.is_series()                    ? std::string(kScheduled)
                                                                 : synced.blink_status;
      if (member->status != base && !(roster_changed && member == match.anchor)) {
        plan.status_changes.push_back(StatusChange{desired.local_id, member->id, member->status});
      }
    }
  }

  void finish(EventOperation operation, const SyncedEvent& synced, const RemoteEvent& anchor) {
    if (operation.payload.empty()) {
      if (!same_copy(operation.synced, synced)) {
        operation.action = EventAction::record;
        operation.target_id.reset();
        records.push_back(std::move(operation));
      }
      return;
    }
    operation.payload["timezone"] = event_timezone(operation);
    if (synced.is_series()) {
      operation.payload["edit_recurring_future"] = 1;
    } else if (anchor.series_id) {
      // A single appointment mapped to an event of a series: editing it alone takes it out of the series.
      operation.payload["edit_recurring_future"] = 0;
    }
    updates.push_back(std::move(operation));
  }

  static std::string event_timezone(const EventOperation& operation) { return operation.synced.timezone; }

  static bool same_copy(const SyncedEvent& left, const SyncedEvent& right) {
    return left.blink_event_id == right.blink_event_id && left.staff_ids == right.staff_ids &&
           left.student_ids == right.student_ids && left.title == right.title && left.details == right.details &&
           left.type_id == right.type_id && left.minutes == right.minutes && left.start == right.start &&
           left.timezone == right.timezone && left.roster_status == right.roster_status &&
           left.blink_status == right.blink_status && left.recurrence == right.recurrence;
  }

  void plan_removals(const std::set<std::string>& listed) {
    if (input.desired.empty() && input.invalid_local_ids.empty() && !input.synced.empty()) {
      error("", std::nullopt,
            "the events query returned no rows, so no appointment is deleted; if the roster really has no "
            "appointments left, delete them in Blink or return at least one row");
      return;
    }
    for (const auto& synced : input.synced) {
      if (listed.count(synced.local_id) || input.invalid_local_ids.count(synced.local_id)) {
        continue;
      }
      const auto match = find_remote(synced, input.remote);
      for (const auto* member : match.members) {
        plan.owners[member->id] = synced.local_id;
      }
      EventOperation operation;
      operation.action = EventAction::remove;
      operation.local_id = synced.local_id;
      operation.synced = synced;
      operation.target_id = match.anchor ? match.anchor->id : synced.blink_event_id;
      const bool in_series = synced.is_series() || (match.anchor && match.anchor->series_id);
      if (in_series) {
        operation.payload["delete_recurring_future"] = synced.is_series() ? 1 : 0;
      }
      deletes.push_back(std::move(operation));
    }
  }

  std::vector<std::unique_ptr<SyncedEvent>> adopted;
};

}  // namespace

std::string_view event_action_name(EventAction action) {
  switch (action) {
    case EventAction::create:
      return "create";
    case EventAction::update:
      return "update";
    case EventAction::remove:
      return "delete";
    case EventAction::record:
      return "record";
  }
  return "record";
}

std::string event_natural_key(std::int64_t first_staff_id, UtcTime start) {
  return "staff=" + std::to_string(first_staff_id) + " start=" + format_utc(start);
}

EventPlan plan_events(const EventPlanInput& input) {
  Planner planner{input, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  planner.index();

  std::set<std::string> listed;
  for (const auto& desired : input.desired) {
    if (!listed.insert(desired.local_id).second) {
      planner.error(desired.local_id, std::nullopt,
                    "local_id is returned by more than one row of the events query; only the first is synced");
      continue;
    }
    planner.plan_desired(desired);
  }
  planner.plan_removals(listed);

  auto plan = std::move(planner.plan);
  for (auto* group : {&planner.records, &planner.creates, &planner.updates, &planner.deletes}) {
    std::move(group->begin(), group->end(), std::back_inserter(plan.operations));
  }
  return plan;
}

}  // namespace blink_sync
