#include "daemon/record_follow_up.hpp"

#include "daemon/remote_copy.hpp"
#include "mapping/blink_decode.hpp"

namespace blink_sync {

std::optional<RecordError> apply_follow_up(pqxx::dbtransaction& transaction, const WriteBackRunner* runner,
                                           const std::optional<RecordFollowUp>& follow_up) {
  if (!follow_up || runner == nullptr) {
    return std::nullopt;
  }
  const auto& values = follow_up->values;
  if (follow_up->returned) {
    write_remote_records(transaction, values.entity, {ReadRecord{&*follow_up->returned, &values.local_id}});
  }
  if (follow_up->erase_copy) {
    erase_remote_records(transaction, values.entity, {values.blink_id});
  }
  if (!follow_up->event) {
    return std::nullopt;
  }
  return runner->run(transaction, *follow_up->event, values);
}

RecordFollowUp follow_up_of(WriteBackEvent event, Entity entity, const std::string& local_id, std::int64_t blink_id,
                            const RemoteRecord* returned, const FieldValues* sent) {
  RecordFollowUp follow_up;
  follow_up.event = event;
  follow_up.values = write_back_values(entity, local_id, blink_id, returned, sent);
  if (returned != nullptr && !returned->assumed && event != WriteBackEvent::removed) {
    follow_up.returned = *returned;
  }
  follow_up.erase_copy = event == WriteBackEvent::removed;
  return follow_up;
}

std::optional<RemoteRecord> record_in_response(Entity entity, const nlohmann::json& body) {
  if (!body.is_object()) {
    return std::nullopt;
  }
  const auto data = body.find("data");
  if (data == body.end()) {
    return std::nullopt;
  }
  auto decoded = decode_record(entity, *data);
  if (auto* record = std::get_if<RemoteRecord>(&decoded)) {
    return std::move(*record);
  }
  return std::nullopt;
}

}  // namespace blink_sync
