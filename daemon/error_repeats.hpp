#pragma once

#include <pqxx/connection>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mapping/record_error.hpp"

namespace blink_sync {

// How long a repeated record error stays quiet before it is logged again
// with a count.
constexpr std::chrono::seconds kRepeatLogInterval = std::chrono::hours(1);

// What blink_sync.records_in_error holds about one record and message.
struct ErrorHistory {
  std::chrono::seconds since_logged{0};  // time since it was last logged
  std::int64_t unlogged = 0;             // occurrences since then
  std::string first_seen;                // ISO 8601, for the log line
};

struct RepeatDecision {
  bool log = true;            // log at error level; otherwise at debug
  std::int64_t repeats = 0;   // occurrences since it was last logged, this one included; 0 the first time
};

// The fields of a record error log line, shared by the roster records and
// the appointments (entity "event").
struct RecordErrorLine {
  std::string_view entity;
  std::string_view local_id;
  std::optional<std::int64_t> blink_id;
  int http_status = 0;  // 0 when no request was involved
  std::string_view message;
};

// Formats a record error for the log as "record error: entity=... local_id=...
// blink_id=... status=... message=\"...\"", with "-" for an unknown Blink id
// or status so every line has the same fields. A repeat (`repeats` > 0)
// adds repeated= and since= before the message. Pure.
std::string format_record_error(const RecordErrorLine& line, std::int64_t repeats = 0,
                                std::string_view first_seen = {});

// Decides whether an error is logged: the first time, and then at most once
// per `interval` with the number of repeats. Pure.
RepeatDecision decide_repeat(const std::optional<ErrorHistory>& history, std::chrono::seconds interval);

// Keeps blink_sync.records_in_error, so repeated errors are counted instead
// of logged every cycle, and `blink-sync status` can list the records in
// error and since when. Each call is its own transaction.
class ErrorRepeats {
 public:
  explicit ErrorRepeats(pqxx::connection& connection) : connection_(connection) {}

  // Notes one occurrence of `error` in run `run_id` and returns whether to
  // log it. `first_seen` is set to when this record first had this error.
  RepeatDecision note(std::int64_t run_id, const RecordError& error, std::string& first_seen);

  // Removes the errors that the completed run `run_id` did not report.
  void forget_resolved(std::int64_t run_id);

 private:
  pqxx::connection& connection_;
};

// Notes `error` in blink_sync.records_in_error (when the cycle has a run)
// and logs it: at error level the first time and then once an hour with a
// repeat count, otherwise at debug level. A database failure here is logged
// and the error is logged in full.
void note_and_log_record_error(pqxx::connection& connection, std::optional<std::int64_t> run_id,
                               const RecordError& error);

// After a completed cycle `run_id`, removes the errors it no longer
// reported; does nothing for nullopt (a failed or interrupted cycle, which
// may not have reached every record). A database failure is logged.
void forget_resolved_errors(pqxx::connection& connection, std::optional<std::int64_t> run_id);

}  // namespace blink_sync
