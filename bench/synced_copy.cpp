#include "bench/synced_copy.hpp"

#include <algorithm>
#include <stdexcept>

namespace blink_sync::bench {
namespace {

std::optional<std::vector<std::int64_t>> synced_links(SyntheticRoster& roster, Entity entity, std::size_t index) {
  if (entity == Entity::student) {
    return std::nullopt;
  }
  std::vector<std::int64_t> ids;
  for (const auto student : roster.linked_students(entity, index, Version::synced)) {
    ids.push_back(roster.blink_id(Entity::student, student));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

SyncedCopy make_synced_copy(SyntheticRoster& roster, const ValidationContext& context) {
  SyncedCopy copy;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    auto& remote = copy.remote.of(entity);
    remote.records.reserve(roster.size().of(entity));
    remote.by_id.reserve(roster.size().of(entity));

    for (std::size_t i = 0; i < roster.size().of(entity); ++i) {
      if (!roster.in_blink(entity, i)) {
        continue;
      }
      auto result = validate_row(entity, roster.record_row(entity, i, Version::synced), context);
      if (!result.record) {
        throw std::logic_error("synthetic " + std::string(entity_name(entity)) + " row " + result.local_id +
                               " is invalid: " + result.problems.front());
      }
      const auto blink_id = roster.blink_id(entity, i);
      auto links = synced_links(roster, entity, i);
      RemoteRecord record;
      record.id = blink_id;
      record.fields = result.record->fields;
      record.linked_students = links;
      remote.add(std::move(record));
      copy.mapping.upsert(
          MappedRecord{entity, std::move(result.local_id), blink_id, std::move(result.record->fields), std::move(links)});
    }
  }
  return copy;
}

}  // namespace blink_sync::bench
