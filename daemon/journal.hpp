#pragma once

#include <pqxx/connection>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "daemon/record_follow_up.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/in_doubt.hpp"

namespace blink_sync {

// A write about to be sent to Blink.
struct Intent {
  std::optional<std::int64_t> run_id;
  Entity entity = Entity::student;
  std::string local_id;
  IntentOperation operation = IntentOperation::create;
  std::optional<std::int64_t> blink_id;  // the target of an update or delete
  std::string natural_key;
  std::string payload;  // the request body, stored only as its SHA-256
};

// The outcome of an intent.
enum class IntentOutcome { applied, rejected, not_sent, found, not_applied, superseded };

std::string_view intent_outcome_name(IntentOutcome outcome);

// The mapping change committed together with an outcome.
struct KeepMapping {};                  // leave the mapping as it is
using SaveMapping = MappedRecord;       // insert or replace this row
struct EraseMapping {                   // delete the row of this record
  Entity entity = Entity::student;
  std::string local_id;
};
using MappingChange = std::variant<KeepMapping, SaveMapping, EraseMapping>;

// The end of an intent: its outcome, the status Blink returned, and the
// mapping change, all committed in one transaction.
struct IntentEnd {
  IntentOutcome outcome = IntentOutcome::applied;
  bool response_arrived = false;
  std::optional<int> http_status;
  std::optional<std::int64_t> blink_id;  // for a create, the id Blink returned or a lookup found
  MappingChange mapping = KeepMapping{};
  std::string note;  // no personal data
};

// The blink_sync.intents table. Every intent is committed before its request
// is sent, so a request whose outcome was never recorded (a crash, a lost
// response, the database gone) is known to be in doubt afterwards. A failing
// commit throws, and the request is then not sent at all.
class Journal {
 public:
  // `write_back` runs the follow-ups of closed intents; without it they
  // are ignored.
  explicit Journal(pqxx::connection& connection, const WriteBackRunner* write_back = nullptr)
      : connection_(connection), write_back_(write_back) {}

  std::int64_t open(const Intent& intent);

  // Marks that a response arrived for an intent that stays open, so a lookup
  // that finds nothing is conclusive at once.
  void mark_response_arrived(std::int64_t intent_id, int http_status);

  // Notes in the intent's note that its request ended without any response
  // and the intent stays open. An open intent without this note was cut
  // short: the daemon stopped before the outcome of its request was recorded.
  void mark_no_response(std::int64_t intent_id);

  // Commits the outcome, the mapping change and the follow-up (the roster
  // write-back and the remote copy) together. Returns the follow-up's
  // write-back error, after which the rest is still committed.
  std::optional<RecordError> close(std::int64_t intent_id, const IntentEnd& end,
                                   const std::optional<RecordFollowUp>& follow_up = std::nullopt);

  // Returns the intents without an outcome, oldest first. One sent less than
  // `settle_after` ago without any response is not settled: Blink may still
  // be working on it.
  std::vector<OpenIntent> open_intents(std::chrono::seconds settle_after);

  // Deletes intents settled more than `age` ago and returns how many. Open
  // ones are kept however old they are.
  std::size_t delete_settled_before(std::chrono::days age);

 private:
  pqxx::connection& connection_;
  const WriteBackRunner* write_back_ = nullptr;
};

// Returns the hexadecimal SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

}  // namespace blink_sync
