#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <functional>
#include <stdexcept>

#include "daemon/blink_client.hpp"
#include "daemon/store.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/record_error.hpp"

namespace blink_sync {

// Blink sent no response to several requests in a row, so the cycle stops rather
// than try every remaining record against a server that is down.
class BlinkUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Totals of one plan's execution.
struct ExecutionResult {
  PlanCounts done;           // operations that succeeded, by action
  std::size_t failed = 0;    // operations that became record errors
  bool interrupted = false;  // shutdown stopped it before the end of the plan
};

// Runs a plan through the client in order. Every Blink id that comes back is
// saved to the mapping table at once, before the next request, together with
// the new last-synced copy. A failed operation becomes a record error and the
// others go on. Student links are resolved to Blink ids when each operation
// runs, so students created earlier in the plan are linked by their new ids.
class Executor {
 public:
  using ErrorSink = std::function<void(const RecordError&)>;

  // `result` is updated after every operation, so it contains what was done
  // even when run() ends with an exception.
  Executor(BlinkClient& client, Store& store, IdentityMap& mapping, const std::atomic<bool>& stop_requested,
           ErrorSink report, ExecutionResult& result);

  // Throws AuthenticationFailed (the cycle stops), BlinkUnavailable,
  // Interrupted, std::runtime_error when a mapping cannot be saved, and
  // pqxx::broken_connection when the database goes away.
  boost::asio::awaitable<void> run(const Plan& plan);

 private:
  boost::asio::awaitable<void> execute(const Operation& operation);
  boost::asio::awaitable<void> create(const Operation& operation);
  boost::asio::awaitable<void> adopt(const Operation& operation);
  boost::asio::awaitable<void> update(const Operation& operation);
  boost::asio::awaitable<void> remove(const Operation& operation);
  void forget(const Operation& operation);

  // Calls the client and counts the calls in a row that got no response or a
  // 5xx after every retry. Throws BlinkUnavailable when there are too many.
  boost::asio::awaitable<ApiResult> call(boost::beast::http::verb method, std::string target,
                                         std::optional<nlohmann::json> body = std::nullopt);

  // Returns the complete link set to send, or nullopt when it must not be
  // sent (it would be empty only because linked students are missing).
  std::optional<std::vector<std::int64_t>> resolve_links(const LinkIntent& links) const;
  void save(const Operation& operation, std::int64_t blink_id, const FieldValues& synced,
            const std::optional<std::vector<std::int64_t>>& links);
  void fail(const Operation& operation, const ApiResult& result, const std::string& context);
  void fail(const Operation& operation, std::string message);

  BlinkClient& client_;
  Store& store_;
  IdentityMap& mapping_;
  const std::atomic<bool>& stop_requested_;
  ErrorSink report_;
  ExecutionResult& result_;
  int unavailable_in_a_row_ = 0;
};

}  // namespace blink_sync
