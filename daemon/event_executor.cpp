#include "daemon/event_executor.hpp"

#include <spdlog/spdlog.h>

#include "daemon/database_error.hpp"
#include "daemon/executor.hpp"
#include "daemon/logging.hpp"
#include "mapping/event_decode.hpp"
#include "mapping/value_masking.hpp"

// NOTE: g++ 12 with optimisation reports -Wmismatched-new-delete on the
// frames of this file's coroutines. Boost.Asio allocates and frees each
// frame as a pair, so the warning is a false positive (as in executor.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Requests in a row that got no response or a server error, each after the
// client's retries, before the cycle stops.
constexpr int kMaxUnavailableInARow = 3;

// The event in a response's `data`, when it can be read.
// Blink writes its times in the zone the request passed.
std::optional<RemoteEvent> returned_event(const ApiResult& result, const nlohmann::json& payload) {
  if (!result.body.is_object() || !result.body.contains("data")) {
    return std::nullopt;
  }
  const auto zone = payload.value("timezone", std::string("UTC"));
  auto decoded = decode_event(result.body["data"], zone);
  if (auto* event = std::get_if<RemoteEvent>(&decoded)) {
    return std::move(*event);
  }
  return std::nullopt;
}

bool outcome_unknown(const ApiResult& result) {
  return (result.status == 0 && result.outcome_unknown) || result.status >= 500;
}

std::string event_path(std::int64_t id) { return "/events/" + std::to_string(id); }

}  // namespace

asio::awaitable<void> EventExecutor::run(const std::vector<EventOperation>& operations) {
  for (const auto& operation : operations) {
    if (dependencies_.stop_requested.load()) {
      totals_.interrupted = true;
      co_return;
    }
    switch (operation.action) {
      case EventAction::record:
        dependencies_.store.save_mapping(operation.synced);
        break;
      case EventAction::create:
        co_await create(operation);
        break;
      case EventAction::update:
        co_await update(operation);
        break;
      case EventAction::remove:
        co_await remove(operation);
        break;
    }
  }
}

asio::awaitable<void> EventExecutor::create(const EventOperation& operation) {
  const auto intent = dependencies_.store.open_intent(dependencies_.run_id, operation);
  const auto result = co_await call(http::verb::post, "/events", operation.payload);
  const auto event = returned_event(result, operation.payload);
  if (!result.ok() || !event) {
    fail(operation, intent, result, "POST /events");
    co_return;
  }

  auto synced = operation.synced;
  synced.blink_event_id = synced.is_series() ? event->series_id.value_or(event->id) : event->id;
  IntentEnd end{IntentOutcome::applied, true, static_cast<int>(result.status), event->id, KeepMapping{}, ""};
  dependencies_.store.close_intent(intent, end, EventMappingChange{synced, std::nullopt, *event});
  ++totals_.created;
  spdlog::debug("events: created local_id={} blink_event_id={}", operation.local_id, synced.blink_event_id);
}

asio::awaitable<void> EventExecutor::update(const EventOperation& operation) {
  const auto intent = dependencies_.store.open_intent(dependencies_.run_id, operation);
  const auto target = event_path(*operation.target_id);
  const auto result = co_await call(http::verb::put, target, operation.payload);
  if (!result.ok()) {
    fail(operation, intent, result, "PUT " + target);
    co_return;
  }

  // A series edit from a later event starts a new series with that event's id.
  auto synced = operation.synced;
  const auto event = returned_event(result, operation.payload);
  if (synced.is_series() && event && event->series_id) {
    synced.blink_event_id = *event->series_id;
  }
  IntentEnd end{IntentOutcome::applied, true, static_cast<int>(result.status), operation.target_id, KeepMapping{}, ""};
  dependencies_.store.close_intent(intent, end, EventMappingChange{synced, std::nullopt, event});
  ++totals_.updated;
}

asio::awaitable<void> EventExecutor::remove(const EventOperation& operation) {
  const auto intent = dependencies_.store.open_intent(dependencies_.run_id, operation);
  const auto target = event_path(*operation.target_id);
  std::optional<nlohmann::json> body;
  if (!operation.payload.empty()) {
    body = operation.payload;
  }
  const auto result = co_await call(http::verb::delete_, target, body);
  if (!result.ok() && result.status != 404) {
    fail(operation, intent, result, "DELETE " + target);
    co_return;
  }

  // 404: the event is already gone from Blink, which is the state the roster expects.
  IntentEnd end{IntentOutcome::applied, true, static_cast<int>(result.status), operation.target_id, KeepMapping{}, ""};
  dependencies_.store.close_intent(intent, end, EventMappingChange{std::nullopt, operation.local_id, std::nullopt});
  ++totals_.deleted;
}

asio::awaitable<ApiResult> EventExecutor::call(http::verb method, std::string target,
                                               std::optional<nlohmann::json> body) {
  auto result = co_await dependencies_.client.call(method, std::move(target), std::move(body));
  if (result.status == 0 || result.status >= 500) {
    ++unavailable_in_a_row_;
  } else {
    unavailable_in_a_row_ = 0;
  }
  if (unavailable_in_a_row_ >= kMaxUnavailableInARow) {
    throw BlinkUnavailable("Blink did not answer " + std::to_string(unavailable_in_a_row_) +
                           " event requests in a row; the last: " + one_line(result.message));
  }
  co_return result;
}

// Returns Blink's message with the event's title and details, which may
// name a person, masked as a record's names are, and emails and dates
// redacted.
std::string EventExecutor::masked_message(const EventOperation& operation, const std::string& message) {
  std::vector<MaskedValue> values;
  for (const auto* key : {"title", "details"}) {
    const auto found = operation.payload.find(key);
    if (found != operation.payload.end() && found->is_string()) {
      values.push_back({found->get<std::string>(), placeholder_of(key)});
    }
  }
  return redact_personal_data(mask_values(message, std::move(values)));
}

void EventExecutor::fail(const EventOperation& operation, std::int64_t intent_id, const ApiResult& result,
                         const std::string& request) {
  EventError error{operation.local_id, operation.target_id, static_cast<int>(result.status), ""};
  if (outcome_unknown(result) || result.ok()) {
    // The intent stays open: the next cycle looks the event up first.
    error.message = request + " got no usable response (" + one_line(result.message) +
                    "); Blink may have applied it, so the next cycle checks Blink before sending it again";
    report_(error);
    return;
  }

  IntentEnd end{IntentOutcome::rejected, result.status != 0, static_cast<int>(result.status), std::nullopt,
                KeepMapping{}, ""};
  EventMappingChange change;
  if (result.status == 404 && operation.action == EventAction::update) {
    // Gone from Blink: the mapping goes, so the next cycle creates it again.
    change.erase = operation.local_id;
    error.message = request + " failed because the event is gone from Blink; the next cycle creates it again";
  } else if (result.status == 406) {
    error.message = request + " rejected by Blink's validation: " + masked_message(operation, result.message) +
                    "; correct the appointment in the roster";
  } else {
    error.message = request + " failed with HTTP " + std::to_string(result.status) + ": " +
                    masked_message(operation, result.message);
  }
  dependencies_.store.close_intent(intent_id, end, change);
  report_(error);
}

}  // namespace blink_sync
