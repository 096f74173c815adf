#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mapping/entity.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {

// One row of the mapping table: a roster record, the Blink record it is
// kept in step with, and the copy of what was last synced.
struct MappedRecord {
  Entity entity = Entity::student;
  std::string local_id;
  std::int64_t blink_id = 0;
  FieldValues synced;  // the field values Blink was last given or confirmed
  // The complete set of linked student ids last sent, for staff and logins.
  std::optional<std::vector<std::int64_t>> synced_links;
};

// Local id <-> Blink id, one-to-one per entity, with the last-synced copy.
// Not thread-safe.
class IdentityMap {
 public:
  // Inserts or replaces the mapping of `record.local_id`. A Blink id already
  // mapped to another local id of the same entity is a logic error: throws
  // std::logic_error, because it would break the one-to-one rule.
  void upsert(MappedRecord record);
  void erase(Entity entity, const std::string& local_id);

  // Inserts or replaces the mapping of `record.local_id` the way the
  // mapping table is written: a record that held the same Blink id loses its
  // mapping (of the same entity, or of the other user entity, since staff
  // and student-logins share one id sequence).
  void claim(MappedRecord record);

  const MappedRecord* find_local(Entity entity, const std::string& local_id) const;
  const MappedRecord* find_blink(Entity entity, std::int64_t blink_id) const;

  // Returns the records of an entity sorted by local id.
  std::vector<const MappedRecord*> records(Entity entity) const;

  // Returns the records of an entity that `keep` accepts, sorted by local
  // id. Only the accepted records are sorted, so when few are kept this is
  // much cheaper than filtering records().
  template <typename Predicate>
  std::vector<const MappedRecord*> records_if(Entity entity, Predicate keep) const {
    const auto all = unordered_records(entity);
    std::vector<const MappedRecord*> kept;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (i + kPrefetchDistance < all.size()) {
        __builtin_prefetch(all[i + kPrefetchDistance]);
      }
      if (keep(*all[i])) {
        kept.push_back(all[i]);
      }
    }
    sort_by_local_id(kept);
    return kept;
  }
  std::size_t size(Entity entity) const;

 private:
  struct Table {
    std::unordered_map<std::string, MappedRecord> by_local;
    // Points into by_local, whose elements keep their address until erased,
    // also when the map is moved. Finding a Blink id costs one lookup.
    boost::unordered_flat_map<std::int64_t, const MappedRecord*> record_of_blink;

    Table() = default;
    Table(const Table& other);
    Table& operator=(const Table& other);
    Table(Table&&) noexcept = default;
    Table& operator=(Table&&) noexcept = default;
  };

  // The records are scattered in memory, so a walk over them prefetches the
  // record this many steps ahead.
  static constexpr std::size_t kPrefetchDistance = 8;

  static void sort_by_local_id(std::vector<const MappedRecord*>& records);
  // Returns the records of an entity in no particular order, read from the
  // Blink id index because its flat array is faster to walk than by_local's
  // node list.
  std::vector<const MappedRecord*> unordered_records(Entity entity) const;

  Table& table(Entity entity);
  const Table& table(Entity entity) const;

  Table students_;
  Table student_logins_;
  Table staff_;
};

}  // namespace blink_sync
