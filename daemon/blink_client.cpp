#include "daemon/blink_client.hpp"

#include <spdlog/spdlog.h>

#include "daemon/logging.hpp"
#include "mapping/blink_decode.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

ApiResult to_result(const HttpResponse& response) {
  ApiResult result;
  result.status = response.status;
  const auto parsed = parse_body(response.body);
  if (const auto* body = std::get_if<nlohmann::json>(&parsed)) {
    result.body = *body;
  }
  result.message = status_message(response.body);
  if (const auto* error = std::get_if<DecodeError>(&parsed); error != nullptr && result.ok()) {
    result.message = error->message;
  }
  if (result.message.empty() && !result.ok()) {
    result.message = "HTTP " + std::to_string(response.status) + " without a status message";
  }
  return result;
}

long long milliseconds_since(Clock::time_point start, const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
}

}  // namespace

BlinkClient::BlinkClient(HttpTransport& transport, Clock& clock, TokenBucket& bucket, ClientOptions options)
    : transport_(transport), clock_(clock), bucket_(bucket), options_(std::move(options)) {}

asio::awaitable<ApiResult> BlinkClient::call(http::verb method, std::string target,
                                             std::optional<nlohmann::json> body) {
  const auto text = body ? body->dump() : std::string();
  const auto verb = std::string(http::to_string(method));
  for (int attempt = 1;; ++attempt) {
    co_await wait_for_token();
    ++counts_.requests;
    const auto started = clock_.now();

    HttpResponse response;
    std::optional<TransportError> failure;
    try {
      response = co_await transport_.send(method, target, text, options_.token);
    } catch (const TransportError& error) {
      failure = error;
    }
    if (failure) {
      const bool arrived = failure->may_have_arrived();
      const auto kind = arrived ? AttemptFailure::no_response : AttemptFailure::not_sent;
      if (failure->permanent() || !options_.retry.may_retry(method, kind, attempt)) {
        co_return ApiResult{0, failure->what(), nullptr, arrived};
      }
      spdlog::warn("blink: {} {} failed ({}); retrying attempt={}", verb, target, failure->what(), attempt + 1);
      co_await wait_before_retry(attempt, std::nullopt);
      continue;
    }

    spdlog::debug("blink: {} {} status={} ms={}", verb, target, response.status, milliseconds_since(started, clock_));
    auto result = to_result(response);
    if (response.status == 401) {
      throw AuthenticationFailed("Blink rejected the API token (HTTP 401: " + redact_personal_data(result.message) +
                                 "); put the organisation's current API token in " + options_.token_source +
                                 ". Blink locks a token out for 60 s after 5 failures");
    }
    if (response.status == 429) {
      ++counts_.denied;
      spdlog::warn("blink: the rate limit denied {} {} status=429 attempt={}; check that "
                   "blink.requests_per_minute matches the organisation's limit",
                   verb, target, attempt);
      if (options_.retry.may_retry(method, AttemptFailure::denied, attempt)) {
        co_await wait_before_retry(attempt, response.retry_after);
        continue;
      }
    } else if (response.status >= 500) {
      result.outcome_unknown = method == http::verb::post;
      if (options_.retry.may_retry(method, AttemptFailure::server_error, attempt)) {
        spdlog::warn("blink: {} {} status={}; retrying attempt={}", verb, target, response.status, attempt + 1);
        co_await wait_before_retry(attempt, response.retry_after);
        continue;
      }
    }
    co_return result;
  }
}

asio::awaitable<void> BlinkClient::wait_for_token() {
  const auto allowed = bucket_.next_allowed(clock_.now());
  if (allowed > clock_.now()) {
    // Plain statements: g++ 12 mishandles co_await inside && and ?:.
    const bool waited = co_await clock_.sleep_until(allowed);
    if (!waited) {
      throw Interrupted();
    }
  }
  bucket_.take(clock_.now());
}

asio::awaitable<void> BlinkClient::wait_before_retry(int attempt, std::optional<std::chrono::seconds> retry_after) {
  ++counts_.retries;
  const double jitter = options_.jitter ? options_.jitter() : 1.0;
  const auto delay = options_.retry.delay(attempt, retry_after, jitter);
  if (!co_await clock_.sleep_until(clock_.now() + delay)) {
    throw Interrupted();
  }
}

}  // namespace blink_sync
