#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

#include "daemon/blink_client.hpp"
#include "daemon/event_store.hpp"
#include "mapping/event_planner.hpp"

namespace blink_sync {

// Totals of the appointment part of a cycle.
struct EventTotals {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t deleted = 0;
  std::size_t errors = 0;
  bool interrupted = false;  // shutdown stopped it before the end of the plan
};

// Runs an event plan through the client in order. Each POST, PUT and DELETE
// is announced in blink_sync.intents before it is sent, and its outcome is
// committed with the mapping change it causes before the next request, so
// the id Blink returns is never lost. A POST without a response stays open
// in the journal and is looked up in Blink by the next cycle before
// anything is sent for that appointment again.
class EventExecutor {
 public:
  using ErrorSink = std::function<void(const EventError&)>;

  struct Dependencies {
    BlinkClient& client;
    EventStore& store;
    const std::atomic<bool>& stop_requested;
    std::optional<std::int64_t> run_id;
  };

  EventExecutor(Dependencies dependencies, ErrorSink report, EventTotals& totals)
      : dependencies_(dependencies), report_(std::move(report)), totals_(totals) {}

  // Throws AuthenticationFailed, Interrupted, BlinkUnavailable and
  // pqxx::failure when the database fails. No request is sent whose intent
  // could not be committed.
  boost::asio::awaitable<void> run(const std::vector<EventOperation>& operations);

 private:
  boost::asio::awaitable<void> create(const EventOperation& operation);
  boost::asio::awaitable<void> update(const EventOperation& operation);
  boost::asio::awaitable<void> remove(const EventOperation& operation);
  boost::asio::awaitable<ApiResult> call(boost::beast::http::verb method, std::string target,
                                         std::optional<nlohmann::json> body);
  static std::string masked_message(const EventOperation& operation, const std::string& message);
  void fail(const EventOperation& operation, std::int64_t intent_id, const ApiResult& result,
            const std::string& request);

  Dependencies dependencies_;
  ErrorSink report_;
  EventTotals& totals_;
  int unavailable_in_a_row_ = 0;
};

}  // namespace blink_sync
