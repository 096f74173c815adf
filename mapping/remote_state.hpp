#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "mapping/entity.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {

// One record as Blink returned it, in the same canonical form as the roster.
struct RemoteRecord {
  std::int64_t id = 0;
  FieldValues fields;
  // Ids of the linked students, when the response included them.
  std::optional<std::vector<std::int64_t>> linked_students;
  std::string updated_at;  // as Blink wrote it, for diagnostics

  // Values that only Blink has, kept in blink_sync.remote_records and
  // passed to write-back statements. Empty when Blink did not return them.
  std::optional<std::string> join_by_link;  // staff only
  std::optional<bool> activated;            // staff and student-logins: Blink's "Yes" or "No"
  std::string created_at;                   // as Blink wrote it
  // True for a record taken from the mapping table instead of a read of
  // Blink (the lists an incremental read skips), so it is not stored as
  // what Blink returned.
  bool assumed = false;
};

// Everything read from one of Blink's lists.
struct RemoteEntity {
  std::vector<RemoteRecord> records;
  boost::unordered_flat_map<std::int64_t, std::size_t> by_id;  // index into records
  // False when a record could not be read at all (not even its id), so the
  // list may hide a record the roster is about to create.
  bool complete = true;
  // Ids present in Blink whose record could not be decoded: left alone.
  std::unordered_set<std::int64_t> unreadable_ids;
  // Mapped ids absent from the list and confirmed gone by a 404 on a GET of
  // the single record.
  std::unordered_set<std::int64_t> confirmed_missing;

  const RemoteRecord* find(std::int64_t id) const;
  void add(RemoteRecord record);
};

// State read from Blink in one cycle.
struct RemoteState {
  RemoteEntity students;
  RemoteEntity student_logins;
  RemoteEntity staff;

  RemoteEntity& of(Entity entity);
  const RemoteEntity& of(Entity entity) const;
};

}  // namespace blink_sync
