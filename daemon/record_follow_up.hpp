#pragma once

#include <pqxx/dbtransaction>

#include <nlohmann/json.hpp>

#include <optional>

#include "daemon/write_back.hpp"
#include "mapping/record_error.hpp"
#include "mapping/remote_state.hpp"
#include "mapping/write_back_statement.hpp"
#include "mapping/write_back_values.hpp"

namespace blink_sync {

// Work committed together with a record's mapping change: the roster
// write-back for the event and the record's remote copy.
struct RecordFollowUp {
  std::optional<WriteBackEvent> event;  // runs write_back.<entity>.<event> when configured
  WriteBackValues values;
  // Blink's record as a response or read returned it, stored as its remote
  // copy. `values` must name the record's entity and local id.
  std::optional<RemoteRecord> returned;
  bool erase_copy = false;  // the record is gone from Blink
};

// Applies `follow_up` in `transaction`: the remote copy first, then the
// write-back in a savepoint (WriteBackRunner::run). Returns the write-back's
// error, if any. Does nothing for an empty follow-up or a null `runner`.
std::optional<RecordError> apply_follow_up(pqxx::dbtransaction& transaction, const WriteBackRunner* runner,
                                           const std::optional<RecordFollowUp>& follow_up);

// Returns the follow-up of `event` for a record, with values from `returned`
// when Blink returned the record, else from `sent` (the fields sent).
RecordFollowUp follow_up_of(WriteBackEvent event, Entity entity, const std::string& local_id, std::int64_t blink_id,
                            const RemoteRecord* returned, const FieldValues* sent = nullptr);

// Returns the record in a response's `data`, or nullopt when there is none
// or it cannot be decoded.
std::optional<RemoteRecord> record_in_response(Entity entity, const nlohmann::json& body);

}  // namespace blink_sync
