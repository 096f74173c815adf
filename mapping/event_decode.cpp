#include "mapping/event_decode.hpp"

#include <algorithm>

#include "mapping/blink_timestamp.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

// Reads a number that Blink may also send as text; nullopt for null, 0 or
// anything else.
std::optional<std::int64_t> positive_id(const json& value) {
  if (value.is_number_integer() && value.get<std::int64_t>() > 0) {
    return value.get<std::int64_t>();
  }
  if (value.is_string()) {
    try {
      const auto parsed = std::stoll(value.get<std::string>());
      return parsed > 0 ? std::optional<std::int64_t>(parsed) : std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string text_of(const json& item, const char* key) {
  const auto found = item.find(key);
  if (found == item.end() || !found->is_string()) {
    return "";
  }
  return found->get<std::string>();
}

// Collects the ids of linked people: `id_key` of each link row, or the id
// of its nested `object_key` record.
std::vector<std::int64_t> linked_ids(const json& item, const char* list_key, const char* id_key,
                                     const char* object_key) {
  std::vector<std::int64_t> ids;
  const auto list = item.find(list_key);
  if (list == item.end() || !list->is_array()) {
    return ids;
  }
  for (const auto& link : *list) {
    if (!link.is_object()) {
      continue;
    }
    auto id = positive_id(link.value(id_key, json()));
    const auto nested = link.find(object_key);
    if (!id && nested != link.end() && nested->is_object()) {
      id = positive_id(nested->value("id", json()));
    }
    if (id) {
      ids.push_back(*id);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

bool flag_of(const json& value) {
  if (value.is_boolean()) {
    return value.get<bool>();
  }
  if (value.is_number()) {
    return value.get<double>() != 0;
  }
  return value.is_string() && (value.get<std::string>() == "1" || value.get<std::string>() == "true");
}

}  // namespace

std::variant<RemoteEvent, std::string> decode_event(const json& item, std::string_view zone) {
  if (!item.is_object()) {
    return std::string("an event is not a JSON object");
  }
  RemoteEvent event;
  const auto id = positive_id(item.value("id", json()));
  if (!id) {
    return std::string("an event has no id");
  }
  event.id = *id;
  const auto where = " of event " + std::to_string(event.id);

  const auto start = parse_wall_time(text_of(item, "start"));
  const auto end = parse_wall_time(text_of(item, "end"));
  if (!start || !end) {
    return "the start or end" + where + " is not YYYY-MM-DD HH:MM:SS";
  }
  const auto start_utc = to_utc(*start, zone);
  const auto end_utc = to_utc(*end, zone);
  if (!std::holds_alternative<UtcTime>(start_utc) || !std::holds_alternative<UtcTime>(end_utc)) {
    return "the start or end" + where + " cannot be converted from " + std::string(zone);
  }
  event.start = std::get<UtcTime>(start_utc);
  event.end = std::get<UtcTime>(end_utc);
  if (event.end < event.start) {
    return "the end" + where + " is before its start";
  }

  event.series_id = positive_id(item.value("recurring_of_event_id", json()));
  event.staff_ids = linked_ids(item, "staff", "user_id", "user");
  event.student_ids = linked_ids(item, "students", "student_id", "student");
  event.title = text_of(item, "title");
  event.details = text_of(item, "details");
  const auto status = text_of(item, "status");
  event.status = status.empty() ? std::string(kScheduled) : status;
  event.type_id = positive_id(item.value("type_id", json()));
  event.all_day = flag_of(item.value("allDay", json()));
  event.updated_at = sortable_timestamp(text_of(item, "updated_at")).value_or("");
  return event;
}

}  // namespace blink_sync
