#include "daemon/error_repeats.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <spdlog/spdlog.h>

#include "daemon/database_error.hpp"
#include "mapping/entity.hpp"

namespace blink_sync {
namespace {

// Escapes backslashes and double quotes, so a parser of message="..." finds
// the end of a message that quotes PostgreSQL's or Blink's text.
std::string escape_quotes(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

}  // namespace

std::string format_record_error(const RecordErrorLine& line, std::int64_t repeats, std::string_view first_seen) {
  const auto blink_id = line.blink_id ? std::to_string(*line.blink_id) : std::string("-");
  const auto status = line.http_status == 0 ? std::string("-") : std::to_string(line.http_status);
  auto text = fmt::format("record error: entity={} local_id={} blink_id={} status={}", line.entity, line.local_id,
                          blink_id, status);
  if (repeats > 0) {
    text += fmt::format(" repeated={} since={}", repeats, first_seen);
  }
  return text + " message=\"" + escape_quotes(one_line(std::string(line.message))) + "\"";
}

RepeatDecision decide_repeat(const std::optional<ErrorHistory>& history, std::chrono::seconds interval) {
  if (!history) {
    return RepeatDecision{true, 0};
  }
  const auto repeats = history->unlogged + 1;
  return RepeatDecision{history->since_logged >= interval, repeats};
}

RepeatDecision ErrorRepeats::note(std::int64_t run_id, const RecordError& error, std::string& first_seen) {
  pqxx::work transaction(connection_);
  const auto entity = std::string(entity_name(error.entity));
  const std::optional<std::int64_t> blink_id = error.blink_id;
  const std::optional<int> status = error.http_status == 0 ? std::nullopt : std::optional<int>(error.http_status);

  // Read what is known about this record and message.
  const auto rows = transaction.exec_params(
      "SELECT floor(extract(epoch FROM now() - last_logged))::bigint, unlogged, "
      "to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
      "FROM blink_sync.records_in_error WHERE entity = $1 AND local_id = $2 AND message = $3 FOR UPDATE",
      entity, error.local_id, error.message);
  std::optional<ErrorHistory> history;
  if (!rows.empty()) {
    history = ErrorHistory{std::chrono::seconds(rows[0][0].as<std::int64_t>()), rows[0][1].as<std::int64_t>(),
                           rows[0][2].as<std::string>()};
    first_seen = history->first_seen;
  }
  const auto decision = decide_repeat(history, kRepeatLogInterval);

  // Store this occurrence.
  transaction.exec_params(
      "INSERT INTO blink_sync.records_in_error (entity, local_id, blink_id, http_status, message, last_run_id) "
      "VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (entity, local_id, message) DO UPDATE SET blink_id = EXCLUDED.blink_id, "
      "http_status = EXCLUDED.http_status, last_run_id = EXCLUDED.last_run_id, last_seen = now(), "
      "last_logged = CASE WHEN $7 THEN now() ELSE records_in_error.last_logged END, "
      "unlogged = CASE WHEN $7 THEN 0 ELSE records_in_error.unlogged + 1 END",
      entity, error.local_id, blink_id, status, error.message, run_id, decision.log);
  transaction.commit();
  return decision;
}

void ErrorRepeats::forget_resolved(std::int64_t run_id) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "DELETE FROM blink_sync.records_in_error WHERE last_run_id IS DISTINCT FROM $1", run_id);
  transaction.commit();
}

void note_and_log_record_error(pqxx::connection& connection, std::optional<std::int64_t> run_id,
                               const RecordError& error) {
  RepeatDecision decision;
  std::string first_seen;
  if (run_id) {
    try {
      decision = ErrorRepeats(connection).note(*run_id, error, first_seen);
    } catch (const std::exception& failure) {
      spdlog::warn("record error: cannot count repeats in blink_sync.records_in_error: {}",
                   describe_database_error(failure));
    }
  }

  const auto level = decision.log ? spdlog::level::err : spdlog::level::debug;
  const RecordErrorLine line{entity_name(error.entity), error.local_id, error.blink_id, error.http_status,
                             error.message};
  spdlog::log(level, "{}", format_record_error(line, decision.repeats, first_seen));
}

void forget_resolved_errors(pqxx::connection& connection, std::optional<std::int64_t> run_id) {
  if (!run_id) {
    return;
  }
  try {
    ErrorRepeats(connection).forget_resolved(*run_id);
  } catch (const std::exception& failure) {
    spdlog::warn("cycle: cannot clear resolved errors from blink_sync.records_in_error: {}",
                 describe_database_error(failure));
  }
}

}  // namespace blink_sync
