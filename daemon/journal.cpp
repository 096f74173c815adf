#include "daemon/journal.hpp"

#include <openssl/evp.h>
#include <pqxx/result>
#include <pqxx/transaction>

#include <array>
#include <stdexcept>

#include "daemon/store.hpp"

namespace blink_sync {
namespace {

// The note of an open intent whose request ended without a response.
constexpr std::string_view kNoResponseNote = "no response";

std::optional<IntentOperation> operation_from_name(std::string_view name) {
  for (const auto operation : {IntentOperation::create, IntentOperation::update, IntentOperation::remove}) {
    if (intent_operation_name(operation) == name) {
      return operation;
    }
  }
  return std::nullopt;
}

void apply_mapping_change(pqxx::transaction_base& transaction, const MappingChange& change) {
  if (const auto* save = std::get_if<SaveMapping>(&change)) {
    write_mapping(transaction, *save);
  } else if (const auto* erase = std::get_if<EraseMapping>(&change)) {
    erase_mapping(transaction, erase->entity, erase->local_id);
  }
}

std::optional<std::string> optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

std::string_view intent_outcome_name(IntentOutcome outcome) {
  switch (outcome) {
    case IntentOutcome::applied:
      return "applied";
    case IntentOutcome::rejected:
      return "rejected";
    case IntentOutcome::not_sent:
      return "not_sent";
    case IntentOutcome::found:
      return "found";
    case IntentOutcome::not_applied:
      return "not_applied";
    case IntentOutcome::superseded:
      return "superseded";
  }
  return "superseded";
}

std::int64_t Journal::open(const Intent& intent) {
  pqxx::work transaction(connection_);
  const auto row = transaction.exec_params1(
      "INSERT INTO blink_sync.intents (run_id, entity, local_id, operation, blink_id, natural_key, payload_digest) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      intent.run_id, std::string(entity_name(intent.entity)), intent.local_id,
      std::string(intent_operation_name(intent.operation)), intent.blink_id, intent.natural_key,
      sha256_hex(intent.payload));
  transaction.commit();
  return row[0].as<std::int64_t>();
}

void Journal::mark_response_arrived(std::int64_t intent_id, int http_status) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "UPDATE blink_sync.intents SET response_arrived = true, http_status = $2 WHERE id = $1", intent_id,
      http_status);
  transaction.commit();
}

void Journal::mark_no_response(std::int64_t intent_id) {
  pqxx::work transaction(connection_);
  transaction.exec_params("UPDATE blink_sync.intents SET note = $2 WHERE id = $1 AND outcome IS NULL", intent_id,
                          std::string(kNoResponseNote));
  transaction.commit();
}

std::optional<RecordError> Journal::close(std::int64_t intent_id, const IntentEnd& end,
                                          const std::optional<RecordFollowUp>& follow_up) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "UPDATE blink_sync.intents SET outcome = $2, response_arrived = response_arrived OR $3, "
      "http_status = COALESCE($4, http_status), blink_id = COALESCE($5, blink_id), note = $6, resolved_at = now() "
      "WHERE id = $1",
      intent_id, std::string(intent_outcome_name(end.outcome)), end.response_arrived, end.http_status, end.blink_id,
      optional_text(end.note));
  apply_mapping_change(transaction, end.mapping);
  auto write_back_error = apply_follow_up(transaction, write_back_, follow_up);
  transaction.commit();
  return write_back_error;
}

std::vector<OpenIntent> Journal::open_intents(std::chrono::seconds settle_after) {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec_params(
      "SELECT id, entity, local_id, operation, blink_id, natural_key, "
      "response_arrived OR intended_at <= now() - make_interval(secs => $1), note IS NOT DISTINCT FROM $2 "
      "FROM blink_sync.intents WHERE outcome IS NULL ORDER BY id",
      static_cast<double>(settle_after.count()), std::string(kNoResponseNote));

  std::vector<OpenIntent> intents;
  for (const auto& row : rows) {
    const auto entity = entity_from_name(row[1].c_str());
    const auto operation = operation_from_name(row[3].c_str());
    if (!entity || !operation) {
      continue;  // the CHECK constraints make this unreachable
    }
    OpenIntent intent;
    intent.id = row[0].as<std::int64_t>();
    intent.entity = *entity;
    intent.local_id = row[2].c_str();
    intent.operation = *operation;
    if (!row[4].is_null()) {
      intent.blink_id = row[4].as<std::int64_t>();
    }
    intent.natural_key = row[5].c_str();
    intent.settled = row[6].as<bool>();
    intent.ended_without_response = row[7].as<bool>();
    intents.push_back(std::move(intent));
  }
  return intents;
}

std::size_t Journal::delete_settled_before(std::chrono::days age) {
  pqxx::work transaction(connection_);
  const auto rows = transaction.exec_params(
      "DELETE FROM blink_sync.intents WHERE outcome IS NOT NULL AND resolved_at < now() - make_interval(days => $1)",
      static_cast<int>(age.count()));
  transaction.commit();
  return rows.affected_rows();
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace blink_sync
