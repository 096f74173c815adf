#include "events_api.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <set>
#include <sstream>

#include "payload.hpp"
#include "record_json.hpp"
#include "timestamps.hpp"
#include "validation.hpp"

namespace fake_blink {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 7> kStatuses = {
    "Scheduled",
    "Completed",
    "Canceled-by-Staff",
    "Canceled-by-Student-(Advance-Notice)",
    "Canceled-by-Student-(Late-Notice)",
    "Student-No-Show",
    "Canceled-Facility-School-Closed",
};

constexpr std::array<std::string_view, 9> kSortFields = {
    "id", "status", "type_id", "start", "end", "created_at", "updated_at", "recurring_of_event_id", "staff_id",
};

const date::time_zone* zone_of(std::string_view key, std::string_view name) {
  check_timezone(key, name);
  return date::locate_zone(name);
}

// Parses "YYYY-MM-DD HH:MM" (seconds allowed) as wall time.
date::local_seconds parse_start(const std::string& text) {
  std::istringstream in(text);
  date::local_seconds start;
  in >> date::parse("%Y-%m-%d %H:%M", start);
  const auto next = in.fail() ? ':' : in.peek();
  if (in.fail() || (next != std::char_traits<char>::eof() && next != ':')) {
    throw validation_error("start must be YYYY-MM-DD HH:MM, got \"" + text + "\"");
  }
  return start;
}

Timestamp to_utc(const date::time_zone* zone, date::local_seconds local) {
  // A wall time the clocks skip maps to the instant of the change.
  return date::zoned_time<std::chrono::seconds>(zone, local, date::choose::earliest).get_sys_time();
}

std::string in_zone(const date::time_zone* zone, Timestamp time) {
  return date::format("%Y-%m-%d %H:%M:%S", date::zoned_time<std::chrono::seconds>(zone, time).get_local_time());
}

// Returns nullopt for "allday", the minutes otherwise.
std::optional<int> parse_minutes(const Payload& payload) {
  const auto text = payload.text("minutes");
  if (!text || trim_spaces(*text).empty()) {
    throw validation_error("minutes is required: a number of minutes or allday");
  }
  if (*text == "allday") {
    return std::nullopt;
  }
  const auto minutes = parse_integer(trim_spaces(*text));
  if (!minutes || *minutes <= 0 || *minutes > 24 * 60) {
    throw validation_error("minutes must be a positive number of minutes or allday, got \"" + *text + "\"");
  }
  return static_cast<int>(*minutes);
}

std::vector<RecordId> staff_ids(const ApiContext& context, const Payload& payload) {
  const auto ids = payload.id_list("linked_staff_ids");
  if (!ids || ids->empty()) {
    throw validation_error("linked_staff_ids is required: an event must be linked to at least one staff");
  }
  std::set<RecordId> unique;
  for (const auto id : *ids) {
    if (context.store.find_user(id, UserKind::staff) == nullptr) {
      throw validation_error("linked_staff_ids: no staff with id " + std::to_string(id));
    }
    unique.insert(id);
  }
  return {unique.begin(), unique.end()};
}

std::vector<RecordId> student_ids(const ApiContext& context, const Payload& payload) {
  const auto ids = payload.id_list("linked_student_ids").value_or(std::vector<std::int64_t>{});
  const auto unique = existing_student_ids(context.store, "linked_student_ids", ids);
  return {unique.begin(), unique.end()};
}

std::string checked_status(const Payload& payload) {
  const auto status = payload.text("status").value_or("");
  if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
    throw validation_error("status \"" + status + "\" is not an event status");
  }
  return status;
}

std::optional<std::int64_t> type_id(const Payload& payload) {
  const auto value = payload.nullable_integer("type_id");
  if (!value || !*value || **value == 0) {
    return std::nullopt;
  }
  return **value;
}

std::string display_title(const Store& store, const Event& event) {
  if (event.student_ids.empty()) {
    return event.title;
  }
  std::string title;
  for (const auto id : event.student_ids) {
    if (const auto* student = store.find_student(id)) {
      title += (title.empty() ? "" : ", ") + student->first_name + " " + student->last_name;
    }
  }
  return title;
}

json link_rows(const Event& event, const std::vector<RecordId>& ids, bool staff) {
  json rows = json::array();
  for (const auto id : ids) {
    rows.push_back({{"event_id", event.id},
                    {"user_id", staff ? json(id) : json()},
                    {"student_id", staff ? json() : json(id)},
                    {"get", 1},
                    {"post", staff ? 1 : 0},
                    {"put", staff ? 1 : 0},
                    {"delete", staff ? 1 : 0}});
  }
  return rows;
}

json event_json(const Store& store, const Event& event, const date::time_zone* zone) {
  std::optional<Timestamp> first_start;
  int visits = 0;
  if (event.recurring_of_event_id) {
    for (const auto& [id, other] : store.events().events()) {
      if (other.recurring_of_event_id == event.recurring_of_event_id) {
        ++visits;
        first_start = first_start ? std::min(*first_start, other.start) : other.start;
      }
    }
  }
  return {
      {"id", event.id},
      {"createdByUserid", nullptr},
      {"recurring_of_event_id", optional_json(event.recurring_of_event_id)},
      {"recurring_first_appt_start", first_start ? json(in_zone(zone, *first_start)) : json()},
      {"recurring_visits", visits > 0 ? json(visits) : json()},
      {"recurring_frequency", event.recurring_of_event_id ? json(event.recurring_frequency) : json()},
      {"title", display_title(store, event)},
      {"details", event.details},
      {"status", event.status},
      {"type_id", optional_json(event.type_id)},
      {"allDay", event.all_day},
      {"start", in_zone(zone, event.start)},
      {"end", in_zone(zone, event.end)},
      {"created_at", format_plain_timestamp(event.created_at)},
      {"updated_at", format_plain_timestamp(event.updated_at)},
      {"staff", link_rows(event, event.staff_ids, true)},
      {"students", link_rows(event, event.student_ids, false)},
  };
}

// The new values of a POST or PUT, checked; absent keys stay unset.
struct EventChanges {
  std::optional<std::vector<RecordId>> staff;
  std::optional<std::vector<RecordId>> students;
  std::optional<std::string> title;
  std::optional<std::optional<int>> minutes;  // inner nullopt: all day
  std::optional<date::local_seconds> start;   // in `zone`
  const date::time_zone* zone = nullptr;
  std::optional<std::string> details;
  std::optional<std::optional<std::int64_t>> type_id;
  std::optional<std::string> status;
};

EventChanges read_changes(const ApiContext& context, const Payload& payload) {
  EventChanges changes;
  if (payload.has("linked_staff_ids")) {
    changes.staff = staff_ids(context, payload);
  }
  if (payload.has("linked_student_ids")) {
    changes.students = student_ids(context, payload);
  }
  if (payload.has("title")) {
    changes.title = std::string(trim_spaces(payload.text("title").value_or("")));
  }
  if (payload.has("minutes")) {
    changes.minutes = parse_minutes(payload);
  }
  if (payload.has("timezone")) {
    changes.zone = zone_of("timezone", payload.text("timezone").value_or(""));
  }
  if (payload.has("start")) {
    if (changes.zone == nullptr) {
      throw validation_error("timezone is required when start is sent");
    }
    changes.start = parse_start(payload.text("start").value_or(""));
  }
  changes.details = payload.text("details");
  if (payload.has("type_id")) {
    changes.type_id = type_id(payload);
  }
  if (payload.has("status")) {
    changes.status = checked_status(payload);
  }
  return changes;
}

// Applies the changes to one event; `weeks` moves a series event's start
// by whole weeks of wall time from the new start.
void apply(const EventChanges& changes, Event& event, int weeks) {
  const auto length = event.end - event.start;
  if (changes.staff) event.staff_ids = *changes.staff;
  if (changes.students) event.student_ids = *changes.students;
  if (changes.title) {
    event.title = *changes.title;
    if (!changes.students) event.student_ids.clear();
  }
  if (changes.details) event.details = *changes.details;
  if (changes.type_id) event.type_id = *changes.type_id;
  if (changes.status) event.status = *changes.status;
  if (changes.start) {
    event.start = to_utc(changes.zone, *changes.start + date::days(7 * weeks));
  }
  event.end = event.start + length;
  if (changes.minutes) {
    event.all_day = !changes.minutes->has_value();
    event.end = event.start + std::chrono::minutes(changes.minutes->value_or(24 * 60));
  }
}

Response list_events(const ApiContext& context, const RequestTarget& target) {
  const auto& params = target.params;
  const auto timezone = params.find("timezone");
  if (timezone == params.end()) {
    throw validation_error("timezone is required");
  }
  const auto* zone = zone_of("timezone", timezone->second);
  const auto owner_kind = target.segments[2];
  const auto owner = parse_integer(target.segments[3]);
  if (!owner) {
    throw not_found_error();
  }

  std::set<RecordId> students;
  std::optional<RecordId> staff;
  if (owner_kind == "staff" && context.store.find_user(*owner, UserKind::staff) != nullptr) {
    staff = *owner;
  } else if (owner_kind == "student" && context.store.find_student(*owner) != nullptr) {
    students.insert(*owner);
  } else if (owner_kind == "student-login" && context.store.find_user(*owner, UserKind::student_login) != nullptr) {
    const auto linked = context.store.linked_student_ids(*owner);
    students.insert(linked.begin(), linked.end());
  } else {
    throw not_found_error();
  }

  const auto day_param = [&](const char* key) -> std::optional<date::local_days> {
    const auto found = params.find(key);
    if (found == params.end()) return std::nullopt;
    std::istringstream in(found->second);
    date::local_days day;
    in >> date::parse("%Y-%m-%d", day);
    if (in.fail()) throw validation_error(std::string(key) + " must be YYYY-MM-DD");
    return day;
  };
  const auto range_start = day_param("rangeStart");
  const auto range_end = day_param("rangeEnd");
  const auto status = params.find("status");
  const bool future = params.count("future") && params.at("future") == "1";
  const bool past = params.count("past") && params.at("past") == "1";
  const ListQuery query = parse_list_query(params, kSortFields);

  std::vector<SortEntry> entries;
  for (const auto& [id, event] : context.store.events().events()) {
    const bool linked = staff ? std::binary_search(event.staff_ids.begin(), event.staff_ids.end(), *staff)
                              : std::any_of(event.student_ids.begin(), event.student_ids.end(),
                                            [&](RecordId student) { return students.count(student) > 0; });
    const auto local_day = std::chrono::floor<date::days>(zone->to_local(event.start));
    if (!linked || (range_start && local_day < *range_start) || (range_end && local_day > *range_end) ||
        (status != params.end() && event.status != status->second) || (future && event.start < context.now) ||
        (past && event.start >= context.now)) {
      continue;
    }
    SortValue key = id;
    if (query.sort == "status") key = event.status;
    if (query.sort == "start") key = event.start.time_since_epoch().count();
    if (query.sort == "end") key = event.end.time_since_epoch().count();
    if (query.sort == "updated_at") key = event.updated_at.time_since_epoch().count();
    if (query.sort == "created_at") key = event.created_at.time_since_epoch().count();
    entries.push_back({key, id});
  }

  Page page = select_page(std::move(entries), query);
  json data = json::array();
  for (const RecordId id : page.ids) {
    data.push_back(event_json(context.store, *context.store.events().find(id), zone));
  }
  Response response = data_response("Success, events attached.", std::move(data));
  response.body["meta"] = std::move(page.meta);
  return response;
}

Response post_event(const ApiContext& context, const Payload& payload) {
  const auto staff = staff_ids(context, payload);
  if (!payload.has("timezone")) {
    throw validation_error("timezone is required");
  }
  if (!payload.has("start")) {
    throw validation_error("start is required");
  }
  auto changes = read_changes(context, payload);
  if (!changes.minutes) {
    throw validation_error("minutes is required: a number of minutes or allday");
  }
  const auto students = changes.students.value_or(std::vector<RecordId>{});
  if (students.empty() && changes.title.value_or("").empty()) {
    throw validation_error("linked_student_ids or title is required");
  }

  int count = 1;
  int frequency = 0;
  if (payload.flag("recurring").value_or(false)) {
    const auto weeks = payload.nullable_integer("frequency");
    const auto ending = payload.nullable_integer("frequency_ending_after");
    if (!weeks || !*weeks || (**weeks != 1 && **weeks != 2 && **weeks != 4)) {
      throw validation_error("frequency is required for a recurring event: 1, 2 or 4");
    }
    if (!ending || !*ending || **ending < 2 || **ending > 104) {
      throw validation_error("frequency_ending_after is required for a recurring event: 2 to 104");
    }
    count = static_cast<int>(**ending);
    frequency = static_cast<int>(**weeks);
  }

  Event first;
  first.staff_ids = staff;
  first.student_ids = students;
  first.title = students.empty() ? *changes.title : std::string();
  first.details = changes.details.value_or("");
  first.type_id = changes.type_id.value_or(std::nullopt);
  first.recurring_frequency = frequency;
  first.created_at = context.now;
  first.updated_at = context.now;

  Event* created_first = nullptr;
  for (int index = 0; index < count; ++index) {
    Event event = first;
    event.start = to_utc(changes.zone, *changes.start + date::days(7 * frequency * index));
    event.end = event.start;
    EventChanges length;
    length.minutes = changes.minutes;
    apply(length, event, 0);
    Event& stored = context.store.events().add(std::move(event));
    if (index == 0) {
      created_first = &stored;
    }
    if (frequency > 0) {
      stored.recurring_of_event_id = created_first->id;
    }
  }
  return data_response("Success, event added and attached (if recurring, first event attached)",
                       event_json(context.store, *created_first, changes.zone));
}

Response put_event(const ApiContext& context, RecordId id, const Payload& payload) {
  Event* event = context.store.events().find(id);
  if (event == nullptr) {
    throw not_found_error();
  }
  if (!event->recurring_of_event_id && payload.flag("recurring").value_or(false)) {
    throw validation_error("Non-Recurring events cannot be changed to recurring");
  }
  if (event->recurring_of_event_id && (payload.has("frequency") || payload.has("frequency_ending_after"))) {
    throw validation_error("The frequency and number-of-weeks of recurring events cannot be changed");
  }
  const auto future = payload.flag("edit_recurring_future");
  if (event->recurring_of_event_id && !future) {
    throw validation_error("edit_recurring_future is required for an event in a series (1 or 0)");
  }
  const auto changes = read_changes(context, payload);
  if (changes.staff && changes.staff->empty()) {
    throw validation_error("linked_staff_ids cannot be empty");
  }
  if (changes.title && changes.title->empty() && !changes.students) {
    throw validation_error("title cannot be empty");
  }

  std::vector<Event*> targets = {event};
  if (event->recurring_of_event_id && *future) {
    targets.clear();
    for (auto* member : context.store.events().series(*event->recurring_of_event_id)) {
      if (member->start >= event->start) {
        targets.push_back(member);
      }
    }
  }
  const bool split = event->recurring_of_event_id && !*future;
  const RecordId new_series = event->id;
  for (std::size_t index = 0; index < targets.size(); ++index) {
    Event before = *targets[index];
    const int weeks = static_cast<int>(index) * std::max(1, targets[index]->recurring_frequency);
    apply(changes, *targets[index], weeks);
    if (split) {
      targets[index]->recurring_of_event_id.reset();
      targets[index]->recurring_frequency = 0;
    } else if (targets[index]->recurring_of_event_id) {
      targets[index]->recurring_of_event_id = new_series;
    }
    if (*targets[index] != before) {
      targets[index]->updated_at = context.now;
    }
  }
  const auto* zone = changes.zone != nullptr ? changes.zone : date::locate_zone("UTC");
  return data_response("Success, event updated. New data attached", event_json(context.store, *event, zone));
}

Response delete_event(const ApiContext& context, RecordId id, const Payload& payload) {
  Event* event = context.store.events().find(id);
  if (event == nullptr) {
    throw not_found_error();
  }
  const auto future = payload.flag("delete_recurring_future");
  if (event->recurring_of_event_id && !future) {
    throw validation_error("delete_recurring_future is required for an event in a series (1 or 0)");
  }
  std::vector<RecordId> doomed = {id};
  if (event->recurring_of_event_id && *future) {
    doomed.clear();
    for (const auto* member : context.store.events().series(*event->recurring_of_event_id)) {
      if (member->start >= event->start) {
        doomed.push_back(member->id);
      }
    }
  }
  for (const auto doomed_id : doomed) {
    context.store.events().remove(doomed_id);
  }
  return status_response(200, "Success, event deleted.");
}

Response dispatch(const ApiContext& context, std::string_view method, const RequestTarget& target,
                  std::string_view body) {
  const auto& segments = target.segments;
  if (segments.size() == 4 && method == "GET") {
    return list_events(context, target);
  }
  if (segments.size() == 2 && method == "POST") {
    return post_event(context, Payload::parse(body));
  }
  const auto id = segments.size() == 3 ? parse_integer(segments[2]) : std::nullopt;
  if (id && method == "PUT") {
    return put_event(context, *id, Payload::parse(body));
  }
  if (id && method == "DELETE") {
    return delete_event(context, *id, Payload::parse(body));
  }
  if (segments.size() == 4 || segments.size() == 2 || id) {
    return status_response(405, "Method Not Allowed: " + std::string(method) + " is not supported on " + target.path);
  }
  return status_response(404, "No Data Found: unknown path " + target.path);
}

}  // namespace

Response route_events(const ApiContext& context, std::string_view method, const RequestTarget& target,
                      std::string_view body) {
  try {
    return dispatch(context, method, target, body);
  } catch (const ApiError& error) {
    return status_response(error.status(), error.what());
  }
}

json events_snapshot(const Store& store) {
  json events = json::array();
  const auto* utc = date::locate_zone("UTC");
  for (const auto& [id, event] : store.events().events()) {
    events.push_back({{"id", id},
                      {"staff_ids", event.staff_ids},
                      {"student_ids", event.student_ids},
                      {"title", event.title},
                      {"details", event.details},
                      {"status", event.status},
                      {"type_id", optional_json(event.type_id)},
                      {"all_day", event.all_day},
                      {"start_utc", in_zone(utc, event.start)},
                      {"end_utc", in_zone(utc, event.end)},
                      {"recurring_of_event_id", optional_json(event.recurring_of_event_id)},
                      {"updated_at", format_plain_timestamp(event.updated_at)}});
  }
  return events;
}

}  // namespace fake_blink
