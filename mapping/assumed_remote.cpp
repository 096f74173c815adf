#include "mapping/assumed_remote.hpp"

namespace blink_sync {

RemoteState assumed_remote(const IdentityMap& mapping) {
  RemoteState state;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    for (const auto* record : mapping.records(entity)) {
      state.of(entity).add(RemoteRecord{record->blink_id, record->synced, record->synced_links, ""});
    }
  }
  return state;
}

}  // namespace blink_sync
