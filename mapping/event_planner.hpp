#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mapping/event_record.hpp"
#include "mapping/identity_map.hpp"

namespace blink_sync {

// The events that were read from Blink: those starting in [from, to), for
// every mapped staff member. A mapped event outside the window was not read,
// so it is planned against its last-synced copy.
struct EventWindow {
  UtcTime from{};
  UtcTime to{};

  bool contains(UtcTime time) const { return time >= from && time < to; }
};

enum class EventAction {
  create,  // POST /events
  update,  // PUT /events/{target}
  remove,  // DELETE /events/{target}
  record,  // no request: only the mapping's synced copy changes
};

std::string_view event_action_name(EventAction action);

struct EventOperation {
  EventAction action = EventAction::create;
  std::string local_id;
  std::optional<std::int64_t> target_id;  // the event a PUT or DELETE is sent to
  nlohmann::json payload = nlohmann::json::object();
  // The mapping to store once the request succeeded. For a create the
  // executor fills in the id Blink returns.
  SyncedEvent synced;
  // For a create: the first staff id and the UTC start, by which an event
  // whose POST got no response is found in Blink.
  std::string natural_key;
};

// A status someone set in Blink that the roster did not override.
struct StatusChange {
  std::string local_id;
  std::int64_t blink_event_id = 0;
  std::string status;
};

struct EventPlan {
  std::vector<EventOperation> operations;  // in order: records, creates, updates, deletes
  std::vector<EventError> errors;
  std::vector<StatusChange> status_changes;
  // The roster appointment each read event belongs to; events absent here
  // were created in Blink.
  std::map<std::int64_t, std::string> owners;
};

struct EventPlanInput {
  const std::vector<DesiredEvent>& desired;
  // Local ids of rows that failed validation: their events are neither
  // changed nor deleted.
  const std::set<std::string>& invalid_local_ids;
  const std::vector<RemoteEvent>& remote;
  const std::vector<SyncedEvent>& synced;
  const IdentityMap& identities;  // staff and student local ids to Blink ids
  EventWindow window;
  // Blink's status of each event at the previous read, and the roster
  // appointment it belonged to then. An event a person took out of a
  // series in Blink keeps its appointment, so its status still comes back.
  const std::map<std::int64_t, std::string>& previous_status;
  const std::map<std::int64_t, std::string>& previous_owners;
  // Appointments whose create is in doubt: nothing is sent for them.
  const std::set<std::string>& in_doubt;
};

// Diffs the roster's appointments against Blink and the last-synced copy.
// The roster owns the fields it returns: a field is sent when Blink's value
// differs from the roster's, staff and students always as full sets, and
// `timezone` with every POST and PUT. The status is owned by whichever side
// changed it last; when both did, the roster wins. A series is created once
// with recurring=1; later changes go to its first event still in Blink
// with edit_recurring_future=1, and its delete with
// delete_recurring_future=1. Turning a single event into a series or back,
// or changing a series' frequency or length, is a record error, because
// Blink cannot do it. Pure.
EventPlan plan_events(const EventPlanInput& input);

// Returns the natural key of a create: "staff=<first staff id> start=<UTC>".
std::string event_natural_key(std::int64_t first_staff_id, UtcTime start);

}  // namespace blink_sync
