#pragma once

#include <boost/asio/awaitable.hpp>

#include <array>
#include <atomic>
#include <functional>
#include <stdexcept>

#include "daemon/blink_client.hpp"
#include "daemon/blink_edits.hpp"
#include "daemon/journal.hpp"
#include "daemon/store.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/record_error.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// Several requests in a row got no response or a server error, so the cycle
// stops rather than try every remaining record against a server that is down.
class BlinkUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Totals of one plan's execution.
struct ExecutionResult {
  PlanCounts done;           // operations that succeeded, by action
  std::size_t failed = 0;    // operations that became record errors
  bool interrupted = false;  // shutdown stopped it before the end of the plan
  // Per entity (indexed by Entity): records created minus records deleted,
  // and the highest id created, so the next read can check Blink's counts.
  std::array<std::int64_t, 3> net_records{};
  std::array<std::int64_t, 3> highest_created{};
  // The newest updated_at in Blink's responses to writes, as YYYY-MM-DD
  // HH:MM:SS, so the next incremental read does not read this cycle's
  // writes as news.
  std::array<std::string, 3> newest_written{};
};

// Runs a plan through the client in order. Each POST, PUT and DELETE is
// announced in the intent journal before it is sent, and its outcome is
// committed together with the mapping change it causes, before the next
// request. A create whose outcome is unknown is looked up in Blink by its
// natural key at once, and it is never sent a second time without such a
// lookup. A failed operation becomes a record error and the others go on.
// Student links are resolved to Blink ids when each operation runs, so
// students created earlier in the plan are linked by their new ids.
class Executor {
 public:
  using ErrorSink = std::function<void(const RecordError&)>;

  struct Dependencies {
    BlinkClient& client;
    Store& store;
    Journal& journal;
    IdentityMap& mapping;
    const RemoteState& remote;  // Blink as read this cycle
    const std::atomic<bool>& stop_requested;
    std::optional<std::int64_t> run_id;
    int page_size = 500;
    // Writes pulled values back to the roster; log_only_write_back() when empty.
    WriteBackHook pull_write_back = {};
    const WriteBackRunner* write_back = nullptr;  // runs the roster write-backs; none when null
  };

  // `result` is updated after every operation, so it contains what was done
  // even when run() ends with an exception.
  Executor(Dependencies dependencies, ErrorSink report, ExecutionResult& result);

  // Throws AuthenticationFailed (the cycle stops), BlinkUnavailable,
  // Interrupted, std::runtime_error when a mapping cannot be saved, and
  // pqxx::broken_connection when the database goes away. No request is sent
  // whose intent could not be committed.
  boost::asio::awaitable<void> run(const Plan& plan);

 private:
  boost::asio::awaitable<void> execute(const Operation& operation);
  boost::asio::awaitable<void> create(const Operation& operation);
  boost::asio::awaitable<void> adopt(const Operation& operation);
  boost::asio::awaitable<void> update(const Operation& operation);
  boost::asio::awaitable<void> remove(const Operation& operation);
  void forget(const Operation& operation);

  // Edits made in Blink: writes the pulled values back to the roster and the
  // new last-synced copy to the mapping in one transaction. Returns false
  // when that failed, so the record's other changes wait a cycle.
  bool pull(const Operation& operation);
  void note_put_back(const Operation& operation);

  // Looks a create whose outcome is unknown up in Blink and maps the record
  // when it is there. `result` is what the POST got.
  boost::asio::awaitable<void> look_up_created(const Operation& operation, std::int64_t intent_id,
                                               const ApiResult& result,
                                               const std::optional<std::vector<std::int64_t>>& links);

  // Calls the client and counts the calls in a row that got no response or a
  // 5xx after every retry.
  boost::asio::awaitable<ApiResult> call(boost::beast::http::verb method, std::string target,
                                         std::optional<nlohmann::json> body = std::nullopt);

  // Returns the complete link set to send, or nullopt when it must not be
  // sent (it would be empty only because linked students are missing).
  std::optional<std::vector<std::int64_t>> resolve_links(const LinkIntent& links) const;
  std::int64_t open_intent(const Operation& operation, IntentOperation kind, const nlohmann::json& payload);
  void close_intent(const Operation& operation, std::int64_t intent_id, const IntentEnd& end,
                    const std::optional<RecordFollowUp>& follow_up = std::nullopt);
  MappedRecord mapped_record(const Operation& operation, std::int64_t blink_id, const FieldValues& synced,
                             const std::optional<std::vector<std::int64_t>>& links) const;
  void save(const MappedRecord& record, const std::optional<RecordFollowUp>& follow_up = std::nullopt);
  // Roster write-back: reads a created record back when its write-back
  // needs values the POST response lacks.
  bool needs_read_back(Entity entity, const std::optional<RemoteRecord>& returned) const;
  boost::asio::awaitable<std::optional<RemoteRecord>> read_back(Entity entity, std::int64_t blink_id,
                                                                std::optional<RemoteRecord> returned);
  std::optional<RecordFollowUp> copy_follow_up(const Operation& operation, std::int64_t blink_id,
                                               const ApiResult& result) const;
  void remember(MappedRecord record);
  void count_created(Entity entity, std::int64_t blink_id);
  void note_written(Entity entity, const ApiResult& result);
  void fail(const Operation& operation, const ApiResult& result, const std::string& context);
  // Returns a message from Blink without the record's values, emails or
  // dates, so it can be logged at error level.
  std::string masked(const Operation& operation, const std::string& message) const;
  // Closes the intent of a call that failed for sure, as not sent or
  // rejected, then reports the failure.
  void fail_call(const Operation& operation, std::int64_t intent_id, const ApiResult& result,
                 const std::string& context);
  void fail(const Operation& operation, std::string message, int http_status = 0);

  Dependencies dependencies_;
  ErrorSink report_;
  ExecutionResult& result_;
  // Throws BlinkUnavailable when too many calls in a row failed that way.
  void stop_if_unavailable() const;

  int unavailable_in_a_row_ = 0;
  std::string last_unavailable_;
};

}  // namespace blink_sync
