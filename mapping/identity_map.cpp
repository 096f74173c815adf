#include "mapping/identity_map.hpp"

#include <stdexcept>

#include "mapping/local_id_order.hpp"

namespace blink_sync {

IdentityMap::Table::Table(const Table& other) : by_local(other.by_local) {
  record_of_blink.reserve(by_local.size());
  for (const auto& [local_id, record] : by_local) {
    record_of_blink.emplace(record.blink_id, &record);
  }
}

IdentityMap::Table& IdentityMap::Table::operator=(const Table& other) {
  Table copy(other);
  *this = std::move(copy);
  return *this;
}

void IdentityMap::upsert(MappedRecord record) {
  auto& entries = table(record.entity);
  const auto holder = entries.record_of_blink.find(record.blink_id);
  if (holder != entries.record_of_blink.end() && holder->second->local_id != record.local_id) {
    throw std::logic_error("Blink id " + std::to_string(record.blink_id) + " of " +
                           std::string(entity_name(record.entity)) + " is already mapped to local_id " +
                           holder->second->local_id);
  }

  const auto previous = entries.by_local.find(record.local_id);
  if (previous != entries.by_local.end()) {
    entries.record_of_blink.erase(previous->second.blink_id);
  }
  const auto blink_id = record.blink_id;
  const auto local_id = record.local_id;
  const auto [position, inserted] = entries.by_local.insert_or_assign(local_id, std::move(record));
  entries.record_of_blink[blink_id] = &position->second;
}

void IdentityMap::claim(MappedRecord record) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const bool shares_ids = entity == record.entity || (entity != Entity::student && record.entity != Entity::student);
    const auto* previous = shares_ids ? find_blink(entity, record.blink_id) : nullptr;
    if (previous != nullptr && !(entity == record.entity && previous->local_id == record.local_id)) {
      erase(entity, previous->local_id);
    }
  }
  upsert(std::move(record));
}

void IdentityMap::erase(Entity entity, const std::string& local_id) {
  auto& entries = table(entity);
  const auto found = entries.by_local.find(local_id);
  if (found == entries.by_local.end()) {
    return;
  }
  entries.record_of_blink.erase(found->second.blink_id);
  entries.by_local.erase(found);
}

const MappedRecord* IdentityMap::find_local(Entity entity, const std::string& local_id) const {
  const auto& entries = table(entity);
  const auto found = entries.by_local.find(local_id);
  return found == entries.by_local.end() ? nullptr : &found->second;
}

const MappedRecord* IdentityMap::find_blink(Entity entity, std::int64_t blink_id) const {
  const auto& entries = table(entity);
  const auto found = entries.record_of_blink.find(blink_id);
  return found == entries.record_of_blink.end() ? nullptr : found->second;
}

std::vector<const MappedRecord*> IdentityMap::records(Entity entity) const {
  return records_if(entity, [](const MappedRecord&) { return true; });
}

void IdentityMap::sort_by_local_id(std::vector<const MappedRecord*>& records) {
  blink_sync::sort_by_local_id(records);
}

std::vector<const MappedRecord*> IdentityMap::unordered_records(Entity entity) const {
  const auto& entries = table(entity);
  std::vector<const MappedRecord*> all;
  all.reserve(entries.record_of_blink.size());
  for (const auto& [blink_id, record] : entries.record_of_blink) {
    all.push_back(record);
  }
  return all;
}

std::size_t IdentityMap::size(Entity entity) const { return table(entity).by_local.size(); }

IdentityMap::Table& IdentityMap::table(Entity entity) {
  return select_by_entity(entity, students_, student_logins_, staff_);
}

const IdentityMap::Table& IdentityMap::table(Entity entity) const {
  return select_by_entity(entity, students_, student_logins_, staff_);
}

}  // namespace blink_sync
