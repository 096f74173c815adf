#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mapping/field_conflict.hpp"
#include "mapping/field_owners.hpp"
#include "mapping/fields.hpp"
#include "mapping/plan.hpp"

namespace blink_sync {

struct MergeRules {
  const FieldOwners& owners;
  ConflictPolicy policy = ConflictPolicy::roster_wins;
  const OpenConflicts* open_conflicts = nullptr;
  // Per slot, whether the roster can take Blink's value; empty means every
  // slot. Blink cannot win a conflict on another slot, so it is reported.
  const std::vector<bool>* roster_takes = nullptr;
  bool base_trusted = true;  // false under --resync
};

// The three-way merge of every field of one record.
struct RecordMerge {
  FieldValues send;                    // the roster's values to send
  FieldValues pulled;                  // Blink's values to write back; no slots when none
  FieldValues synced_updates;          // slots whose last-synced value changes; no slots when none
  std::vector<std::string> changed;    // Blink keys sent, put-back ones included
  std::vector<std::string> drift;      // Blink keys put back over a Blink edit
  std::vector<FieldConflict> conflicts;  // new conflicts, with the policy applied
  std::vector<ConflictKey> resolved;   // open conflicts that no longer hold
};

// Merges the roster's fields (`desired`), Blink's (`remote`) and the
// last-synced copy (`synced`, nullptr when there is none to trust) field by
// field with merge_field. Pure.
RecordMerge merge_record(Entity entity, const std::string& local_id, std::int64_t blink_id,
                         const FieldValues& desired, const FieldValues& remote, const FieldValues* synced,
                         const MergeRules& rules);

}  // namespace blink_sync
