#include "mapping/event_row.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

// The text of a column, nullopt when it is absent or NULL.
std::optional<std::string> value_of(const RosterRow& row, std::string_view column) {
  const auto value = row.get(column);
  if (!value || !*value) {
    return std::nullopt;
  }
  return std::string(**value);
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  text = trim(text);
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_flag(std::string_view text) {
  text = trim(text);
  if (text == "t" || text == "true" || text == "1" || text == "yes") {
    return true;
  }
  if (text == "f" || text == "false" || text == "0" || text == "no") {
    return false;
  }
  return std::nullopt;
}

// Adds what goes wrong with one column to `problems`.
struct RowReader {
  const RosterRow& row;
  std::vector<std::string> problems;

  std::optional<std::int64_t> integer(std::string_view column, std::int64_t minimum, std::int64_t maximum) {
    const auto text = value_of(row, column);
    if (!text) {
      return std::nullopt;
    }
    const auto value = parse_int(*text);
    if (!value || *value < minimum || *value > maximum) {
      problems.push_back(std::string(column) + " \"" + *text + "\" is not a whole number from " +
                         std::to_string(minimum) + " to " + std::to_string(maximum));
      return std::nullopt;
    }
    return value;
  }
};

void read_people(RowReader& reader, DesiredEvent& event) {
  event.staff_local_ids = split_local_ids(value_of(reader.row, "staff_local_ids").value_or(""));
  if (event.staff_local_ids.empty()) {
    reader.problems.emplace_back("staff_local_ids is empty; Blink needs at least one staff member per event");
  }
  event.student_local_ids = split_local_ids(value_of(reader.row, "student_local_ids").value_or(""));
  event.title = std::string(trim(value_of(reader.row, "title").value_or("")));
  if (event.student_local_ids.empty() && event.title.empty()) {
    reader.problems.emplace_back("the event has neither student_local_ids nor a title; Blink needs one of them");
  }
}

void read_time(RowReader& reader, const std::optional<std::string>& default_timezone, DesiredEvent& event) {
  const auto start = value_of(reader.row, "start");
  const auto parsed = start ? parse_wall_time(*start) : std::nullopt;
  if (!parsed) {
    reader.problems.push_back("start \"" + start.value_or("") + "\" is not a date and time YYYY-MM-DD HH:MM");
  } else {
    event.start = *parsed;
  }

  event.timezone = value_of(reader.row, "timezone").value_or(default_timezone.value_or(""));
  if (event.timezone.empty()) {
    reader.problems.emplace_back("timezone is empty; return an IANA zone such as America/Denver, or set "
                                 "roster.default_timezone");
  } else if (!to_local(UtcTime{}, event.timezone)) {
    reader.problems.push_back("timezone \"" + event.timezone +
                              "\" is not a time zone name the tz database knows (such as America/Denver)");
  }

  const auto all_day_text = value_of(reader.row, "all_day");
  const auto all_day = all_day_text ? parse_flag(*all_day_text) : std::optional<bool>(false);
  if (!all_day) {
    reader.problems.push_back("all_day \"" + *all_day_text + "\" is not true or false");
  }
  event.minutes = reader.integer("minutes", 1, 24 * 60);
  if (all_day && *all_day) {
    event.minutes.reset();
  } else if (!event.minutes && !value_of(reader.row, "minutes")) {
    reader.problems.emplace_back("minutes is empty; give the length in minutes, or all_day = true");
  }
}

void read_recurrence(RowReader& reader, DesiredEvent& event) {
  const auto frequency = reader.integer("frequency", 1, 4);
  const auto occurrences = reader.integer("occurrences", 2, 104);
  if (!frequency && !occurrences) {
    return;
  }
  if (frequency && *frequency == 3) {
    reader.problems.emplace_back("frequency \"3\" is not one Blink offers; use 1 (weekly), 2 or 4 weeks");
    return;
  }
  if (!frequency || !occurrences) {
    reader.problems.emplace_back("a series needs both frequency (1, 2 or 4 weeks) and occurrences (2 to 104)");
    return;
  }
  event.recurrence = Recurrence{static_cast<int>(*frequency), static_cast<int>(*occurrences)};
}

void read_other(RowReader& reader, DesiredEvent& event) {
  event.details = value_of(reader.row, "details").value_or("");
  event.type_id = reader.integer("type_id", 0, INT64_MAX);
  event.blink_event_id = reader.integer("blink_event_id", 1, INT64_MAX);
  if (reader.row.get("status")) {
    event.status = std::string(trim(value_of(reader.row, "status").value_or(std::string(kScheduled))));
    if (!is_event_status(*event.status)) {
      reader.problems.push_back("status \"" + *event.status + "\" is not a Blink event status (Scheduled, "
                                "Completed, Canceled-by-Staff, ...)");
    }
  }
}

}  // namespace

const std::vector<std::string_view>& event_columns() {
  static const std::vector<std::string_view> columns = {
      "local_id", "staff_local_ids", "student_local_ids", "title",  "start",     "timezone",    "minutes",
      "all_day",  "details",         "type_id",           "status", "frequency", "occurrences", "blink_event_id"};
  return columns;
}

const std::vector<std::string_view>& required_event_columns() {
  static const std::vector<std::string_view> columns = {"local_id", "staff_local_ids", "start"};
  return columns;
}

std::vector<std::string> missing_event_columns(const ColumnSet& columns, bool has_default_timezone) {
  std::vector<std::string> missing;
  for (const auto name : required_event_columns()) {
    if (!columns.find(name)) {
      missing.emplace_back(name);
    }
  }
  if (!has_default_timezone && !columns.find("timezone")) {
    missing.emplace_back("timezone");
  }
  if (!columns.find("minutes") && !columns.find("all_day")) {
    missing.emplace_back("minutes");
  }
  return missing;
}

std::vector<std::string> split_local_ids(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, text.size() - 2);
  }

  std::vector<std::string> ids;
  while (!text.empty()) {
    const auto comma = text.find(',');
    auto id = trim(text.substr(0, comma));
    if (id.size() >= 2 && id.front() == '"' && id.back() == '"') {
      id = id.substr(1, id.size() - 2);
    }
    if (!id.empty() && id != "NULL") {
      ids.emplace_back(id);
    }
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::variant<DesiredEvent, EventError> parse_event_row(const RosterRow& row,
                                                       const std::optional<std::string>& default_timezone) {
  DesiredEvent event;
  event.local_id = std::string(trim(value_of(row, "local_id").value_or("")));
  if (event.local_id.empty()) {
    return EventError{"", std::nullopt, 0, "an events row has no local_id; every appointment needs one"};
  }

  RowReader reader{row, {}};
  read_people(reader, event);
  read_time(reader, default_timezone, event);
  read_recurrence(reader, event);
  read_other(reader, event);
  if (!reader.problems.empty()) {
    return EventError{event.local_id, event.blink_event_id, 0,
                      "invalid events row: " + join(reader.problems, "; ") + "; correct the row in the roster"};
  }
  return event;
}

}  // namespace blink_sync
