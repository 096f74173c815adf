#include "router.hpp"

#include "api_routes.hpp"
#include "control_api.hpp"
#include "reports_api.hpp"

namespace fake_blink {
namespace {

// The delay of a hang fault's response: longer than any test waits.
constexpr std::chrono::hours kHangDuration{1};

}  // namespace

Router::Router(RouterOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      state_(options_.token, options_.rate_limit),
      random_(std::random_device{}()) {}

Response Router::handle(const Request& request) {
  const auto target = parse_request_target(request.target);
  if (!target) {
    return status_response(404, "No Data Found: invalid request target");
  }

  // Both branches are string_views: with "" on one side the conditional
  // would make a temporary std::string, and `root` would dangle.
  const std::string_view root =
      target->segments.empty() ? std::string_view() : std::string_view(target->segments.front());
  if (root == "_control") {
    const ApiContext context{state_.store, clock_.wall_now(), [this] { return new_join_link(); }};
    return handle_control_request(state_, context, request.method, *target, request.body);
  }
  if (root == "v1") {
    return handle_api(request, *target);
  }
  return status_response(404, "No Data Found: unknown path " + target->path);
}

Response Router::handle_api(const Request& request, const RequestTarget& target) {
  const SteadyTime now = clock_.steady_now();
  state_.stats.record_arrival(request.method, api_entity_name(target));

  if (auto denial = deny_access(request, now)) {
    state_.stats.record_status(denial->status);
    return std::move(*denial);
  }
  state_.stats.record_admitted(now);

  const auto fault = state_.faults.take(request.method, target.path);
  Response response = run_with_fault(request, target, fault);
  if (!response.drop_connection) {
    state_.stats.record_status(response.status);
  }
  return response;
}

std::optional<Response> Router::deny_access(const Request& request, SteadyTime now) {
  switch (state_.auth.check(request.authorization, now)) {
    case AuthResult::accepted:
      break;
    case AuthResult::missing_token:
      return status_response(401, "Unauthenticated: send the header Authorization: Bearer TOKEN");
    case AuthResult::invalid_token:
      return status_response(401, "Unauthenticated: invalid API token");
    case AuthResult::locked_out:
      return status_response(401, "Too Many Login Attempts");
  }

  if (const auto retry_after = state_.rate_limiter.try_admit(now)) {
    // The document states that requests beyond the limit "will be denied"
    // but names no status code. 429 Too Many Requests is our choice.
    Response denial = status_response(429, "Too many requests: limit is " +
                                               std::to_string(state_.rate_limiter.limit()) +
                                               " per minute");
    denial.headers.emplace_back("Retry-After", std::to_string(retry_after->count()));
    return denial;
  }
  return std::nullopt;
}

Response Router::run_with_fault(const Request& request, const RequestTarget& target,
                                const std::optional<FaultRule>& fault) {
  if (!fault) {
    return run_endpoint(request, target);
  }

  Response response;
  switch (fault->action) {
    case FaultAction::error500:
      state_.stats.record_injected_error();
      return status_response(500, "Internal Server Error (injected by a fault rule)");
    case FaultAction::reject406:
      return status_response(406, fault->message);
    case FaultAction::delay:
      response = run_endpoint(request, target);
      state_.stats.record_delayed();
      response.delay = fault->delay;
      return response;
    case FaultAction::hang:
      response = run_endpoint(request, target);
      state_.stats.record_hung();
      response.delay = kHangDuration;
      return response;
    case FaultAction::drop_after_apply:
      run_endpoint(request, target);
      break;
    case FaultAction::drop_before_apply:
      break;
  }

  state_.stats.record_dropped();
  response.drop_connection = true;
  return response;
}

Response Router::run_endpoint(const Request& request, const RequestTarget& target) {
  if (api_entity_name(target) == "reports") {
    return route_report_request(state_.reports, request.method, target);
  }
  const ApiContext context{state_.store, clock_.wall_now(), [this] { return new_join_link(); }};
  Response response = route_api_request(context, request.method, target, request.body);
  if (request.method == "POST" && response.status >= 200 && response.status < 300) {
    state_.stats.record_created(api_entity_name(target));
  }
  return response;
}

std::string Router::new_join_link() {
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);

  std::string link = options_.join_link_base;
  for (int index = 0; index < 12; ++index) {
    link += kAlphabet[pick(random_)];
  }
  return link;
}

}  // namespace fake_blink
