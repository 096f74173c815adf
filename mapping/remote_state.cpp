#include "mapping/remote_state.hpp"

namespace blink_sync {

const RemoteRecord* RemoteEntity::find(std::int64_t id) const {
  const auto found = by_id.find(id);
  return found == by_id.end() ? nullptr : &records[found->second];
}

void RemoteEntity::add(RemoteRecord record) {
  const auto [position, inserted] = by_id.emplace(record.id, records.size());
  if (inserted) {
    records.push_back(std::move(record));
  } else {
    records[position->second] = std::move(record);
  }
}

RemoteEntity& RemoteState::of(Entity entity) {
  return select_by_entity(entity, students, student_logins, staff);
}

const RemoteEntity& RemoteState::of(Entity entity) const {
  return select_by_entity(entity, students, student_logins, staff);
}

}  // namespace blink_sync
