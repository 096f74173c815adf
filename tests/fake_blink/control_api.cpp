#include "control_api.hpp"

#include <stdexcept>
#include <string>

#include "account_control.hpp"
#include "seed.hpp"
#include "state_snapshot.hpp"

namespace fake_blink {
namespace {

using nlohmann::json;

Response json_response(int status, json body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response error_response(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

json parse_body(std::string_view body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    throw std::invalid_argument("request body is not valid JSON");
  }
  return parsed;
}

void reset(FakeBlinkState& state) {
  state.store = Store{};
  state.stats.clear();
  state.faults.clear();
  state.rate_limiter.clear();
  state.auth.clear();
  state.reports = ReportRows{};
}

std::size_t parse_rate_limit(const json& body) {
  const auto limit = body.find("limit");
  if (!body.is_object() || limit == body.end() || !limit->is_number_unsigned()) {
    throw std::invalid_argument("rate-limit body must be {\"limit\": N} with N >= 0");
  }
  return limit->get<std::size_t>();
}

json report_rows_json(const ReportRows& rows) {
  json listed = {{"events", json::array()}, {"sessions", json::array()}};
  for (const auto& [id, row] : rows.events) {
    listed["events"].push_back(row);
  }
  for (const auto& [id, row] : rows.sessions) {
    listed["sessions"].push_back(row);
  }
  return listed;
}

json full_state(const FakeBlinkState& state) {
  json snapshot = state_snapshot(state.store);
  snapshot["rate_limit"] = state.rate_limiter.limit();
  snapshot["faults"] = state.faults.to_json();
  return snapshot;
}

Response dispatch(FakeBlinkState& state, const ApiContext& context, const std::string& action,
                  std::string_view method, std::string_view body) {
  if (action == "stats" && method == "GET") {
    return json_response(200, state.stats.to_json());
  }
  if (action == "state" && method == "GET") {
    return json_response(200, full_state(state));
  }
  if (action == "reset" && method == "POST") {
    reset(state);
    return json_response(200, {{"reset", true}});
  }
  if (action == "seed" && method == "POST") {
    return json_response(200, seed_store(context, parse_body(body)));
  }
  if (action == "reports" && method == "POST") {
    return json_response(200, seed_report_rows(state.reports, parse_body(body)));
  }
  if (action == "reports" && method == "GET") {
    return json_response(200, report_rows_json(state.reports));
  }
  if (action == "account" && method == "POST") {
    return json_response(200, edit_account(context, parse_body(body)));
  }
  if (action == "faults" && method == "GET") {
    return json_response(200, state.faults.to_json());
  }
  if (action == "faults" && method == "POST") {
    state.faults.add(FaultInjector::parse_rules(parse_body(body)));
    return json_response(200, state.faults.to_json());
  }
  if (action == "faults" && method == "DELETE") {
    state.faults.clear();
    return json_response(200, state.faults.to_json());
  }
  if (action == "rate-limit" && method == "POST") {
    state.rate_limiter.set_limit(parse_rate_limit(parse_body(body)));
    return json_response(200, {{"limit", state.rate_limiter.limit()}});
  }
  return error_response(405, std::string{method} + " is not supported on /_control/" + action);
}

}  // namespace

Response handle_control_request(FakeBlinkState& state, const ApiContext& context,
                                 std::string_view method, const RequestTarget& target,
                                 std::string_view body) {
  static const std::set<std::string> kActions = {"stats", "state", "reset", "seed", "faults",
                                                 "rate-limit", "reports", "account"};
  if (target.segments.size() != 2 || !kActions.contains(target.segments[1])) {
    return error_response(404, "unknown control path " + target.path);
  }

  try {
    return dispatch(state, context, target.segments[1], method, body);
  } catch (const std::invalid_argument& error) {
    return error_response(400, error.what());
  }
}

}  // namespace fake_blink
