#include "reports_api.hpp"

#include <array>
#include <cstdio>
#include <span>

#include "list_query.hpp"
#include "payload.hpp"
#include "validation.hpp"

namespace fake_blink {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 9> kEventSortFields = {
    "id", "status", "type_id", "start", "end", "staff_id", "created_at", "updated_at", "recurring_of_event_id",
};

constexpr std::array<std::string_view, 7> kSessionSortFields = {
    "id",       "session_created_at", "staff_joined_session", "student_joined_session",
    "length",   "staff_id",           "session_recording_min",
};

struct ReportQuery {
  const date::time_zone* zone = nullptr;
  std::optional<date::sys_days> range_start;
  std::optional<date::sys_days> range_end;
  std::optional<std::string> status;
};

const std::string* find_param(const QueryParams& params, std::string_view name) {
  const auto found = params.find(name);
  return found == params.end() ? nullptr : &found->second;
}

std::optional<date::sys_days> parse_range_day(const QueryParams& params, std::string_view key, bool required) {
  const std::string* text = find_param(params, key);
  if (text == nullptr || text->empty()) {
    if (required) {
      throw validation_error(std::string{key} + " is required (YYYY-MM-DD)");
    }
    return std::nullopt;
  }
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int consumed = 0;
  if (std::sscanf(text->c_str(), "%4d-%2u-%2u%n", &year, &month, &day, &consumed) != 3 ||
      static_cast<std::size_t>(consumed) != text->size()) {
    throw validation_error(std::string{key} + " must be a date as YYYY-MM-DD, got \"" + *text + "\"");
  }
  const date::year_month_day date{date::year{year}, date::month{month}, date::day{day}};
  if (!date.ok()) {
    throw validation_error(std::string{key} + " must be a real date, got \"" + *text + "\"");
  }
  return date::sys_days{date};
}

ReportQuery parse_report_query(const QueryParams& params, bool range_required) {
  const std::string* timezone = find_param(params, "timezone");
  if (timezone == nullptr || timezone->empty()) {
    throw validation_error("timezone is required");
  }
  check_timezone("timezone", *timezone);

  ReportQuery query;
  query.zone = date::locate_zone(*timezone);
  query.range_start = parse_range_day(params, "rangeStart", range_required);
  query.range_end = parse_range_day(params, "rangeEnd", range_required);
  if (const std::string* status = find_param(params, "status")) {
    query.status = *status;
  }
  return query;
}

bool selected(std::string_view report, const json& row, const ReportQuery& query) {
  if (query.status && (!row.contains("status") || row["status"] != *query.status)) {
    return false;
  }
  if (!query.range_start && !query.range_end) {
    return true;
  }
  // NOTE: a row whose range key is not a time is left out of every range;
  // what Blink does with such a row is unknown.
  const auto day = report_row_day(report, row, *query.zone);
  return day && (!query.range_start || *day >= *query.range_start) && (!query.range_end || *day <= *query.range_end);
}

SortValue sort_key(const json& row, std::string_view field) {
  const auto found = row.find(field);
  if (found == row.end() || found->is_null()) {
    return std::monostate{};
  }
  if (found->is_number_integer()) {
    return found->get<std::int64_t>();
  }
  return to_lower_ascii(found->is_string() ? found->get<std::string>() : found->dump());
}

Response list_report(const std::map<RecordId, json>& rows, std::string_view report, const QueryParams& params) {
  const bool events = report == "events";
  const auto sort_fields =
      events ? std::span<const std::string_view>(kEventSortFields) : std::span<const std::string_view>(kSessionSortFields);
  const ReportQuery query = parse_report_query(params, events);
  const ListQuery list = parse_list_query(params, sort_fields);

  std::vector<SortEntry> entries;
  for (const auto& [id, row] : rows) {
    if (selected(report, row, query)) {
      entries.push_back({sort_key(row, list.sort), id});
    }
  }

  Page page = select_page(std::move(entries), list);
  json data = json::array();
  for (const RecordId id : page.ids) {
    data.push_back(localise_report_row(report, rows.at(id), *query.zone));
  }

  const std::string message =
      events ? "Success, events attached. Note: Event report data is updated nightly or if a front-end user pulls "
               "events from the reports page."
             : "Success, session attached. Note: Sessions report data is updated nightly or if a front-end user "
               "pulls sessions from the reports page.";
  Response response = data_response(message, std::move(data));
  response.body["meta"] = std::move(page.meta);
  return response;
}

}  // namespace

Response route_report_request(const ReportRows& rows, std::string_view method, const RequestTarget& target) {
  const std::string_view report = target.segments.size() == 3 ? std::string_view{target.segments[2]} : "";
  if (report != "events" && report != "sessions") {
    return status_response(404, "No Data Found: unknown path " + target.path);
  }
  if (method != "GET") {
    Response response = status_response(
        405, "Method Not Allowed: " + std::string{method} + " is not supported on " + target.path + ", allowed: GET");
    response.headers.emplace_back("Allow", "GET");
    return response;
  }

  try {
    return list_report(report == "events" ? rows.events : rows.sessions, report, target.params);
  } catch (const ApiError& error) {
    return status_response(error.status(), error.what());
  }
}

}  // namespace fake_blink
