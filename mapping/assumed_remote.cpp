#include "mapping/assumed_remote.hpp"

namespace blink_sync {

RemoteRecord assumed_record(const MappedRecord& record) {
  RemoteRecord assumed;
  assumed.id = record.blink_id;
  assumed.fields = record.synced;
  assumed.linked_students = record.synced_links;
  assumed.assumed = true;
  return assumed;
}

RemoteState assumed_remote(const IdentityMap& mapping) {
  RemoteState state;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    for (const auto* record : mapping.records(entity)) {
      state.of(entity).add(assumed_record(*record));
    }
  }
  return state;
}

}  // namespace blink_sync
