#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mapping/entity.hpp"
#include "mapping/field_conflict.hpp"
#include "mapping/field_owners.hpp"
#include "mapping/fields.hpp"
#include "mapping/record_error.hpp"

namespace blink_sync {

enum class Action {
  create,     // POST a record the roster has and Blink lacks
  adopt,      // map an existing Blink record with the same natural key, then PUT any difference
  update,     // PUT changed fields or links of a mapped record
  discharge,  // PUT discharged=1 on a student who left the roster
  remove,     // DELETE a record that left the roster
  forget,     // drop the mapping of a record that left the roster and is gone from Blink
  pull,       // no call: take Blink's values into the last-synced copy and write them back to the roster
};

std::string_view action_name(Action action);

// The complete linked-student set to send, resolved to Blink ids when the
// operation runs, because students created earlier in the same plan get
// their ids only then.
struct LinkIntent {
  std::vector<std::string> student_local_ids;  // the roster's links
  std::vector<std::int64_t> kept_blink_ids;    // links to students the roster does not manage
  // True when the roster lists links that cannot be resolved this cycle, so
  // an empty resolved set must not be sent as "unlink everything".
  bool roster_has_unresolved = false;
};

// One API call (or, for adopt and forget, possibly none) in the plan.
struct Operation {
  Action action = Action::create;
  Entity entity = Entity::student;
  std::string local_id;
  std::optional<std::int64_t> blink_id;  // known for every action but create
  FieldValues send;                      // the slots to send
  FieldValues synced_after;              // the last-synced copy once the call succeeds
  std::optional<LinkIntent> links;       // set when linked_student_ids must be sent
  std::vector<std::string> changed;      // Blink keys that differ, for logs and --dry-run
  std::string reason;                    // why, in a few words, for logs and --dry-run

  // Edits made in Blink (see mapping/field_merge.hpp).
  FieldValues pulled;               // Blink's values to write back to the roster, before any call
  std::vector<std::string> drift;   // Blink keys whose Blink edits the roster's values put back
};

// A record of an open conflict that no longer holds, to close.
struct ConflictKey {
  Entity entity = Entity::student;
  std::string local_id;
  std::string field;
};

// A Blink record that no roster record maps or adopts, to import.
struct BlinkOnlyRecord {
  Entity entity = Entity::student;
  std::int64_t blink_id = 0;
  FieldValues fields;
};

// The ordered work of one cycle: creates, adoptions and updates of students,
// then student-logins, then staff. Removals, discharges and forget actions
// come last.
struct Plan {
  std::vector<Operation> operations;
  std::vector<RecordError> errors;  // problems found while planning
  std::vector<FieldConflict> conflicts;       // fields both sides changed, to record
  std::vector<ConflictKey> resolved_conflicts;  // open conflicts whose values no longer hold
  std::vector<BlinkOnlyRecord> blink_only;    // Blink-only records under the import policy

  bool empty() const { return operations.empty(); }
};

// Action taken on a record that leaves the roster.
enum class LeavePolicy { keep, discharge, remove };

struct PlanOptions {
  // Compare with Blink's current values instead of the last-synced copy.
  bool resync = false;
  LeavePolicy students_removed = LeavePolicy::discharge;
  LeavePolicy student_logins_removed = LeavePolicy::remove;
  LeavePolicy staff_removed = LeavePolicy::remove;
  // Keep links to Blink students that the roster does not manage; when
  // false the roster owns every link and such links are removed.
  bool keep_unmanaged_links = true;

  // Edits made in Blink and records that exist only there.
  FieldOwners field_owners{};
  ConflictPolicy conflict_policy = ConflictPolicy::roster_wins;
  std::array<BlinkOnlyPolicy, 3> blink_only{};  // indexed by Entity; ignore by default
  const OpenConflicts* open_conflicts = nullptr;  // conflicts reported earlier and not resolved
  // By entity, the slots whose Blink values the roster can take through the
  // changed_in_blink write-back; empty when it can take every slot. See
  // MergeRules::roster_takes.
  std::array<std::vector<bool>, 3> roster_takes{};
  // Records whose earlier create is still in doubt (see mapping/in_doubt).
  // They are neither created nor adopted, and a link to one counts as
  // unresolved, so no link set is sent only because it names one.
  const std::set<std::pair<Entity, std::string>>* held_creates = nullptr;
  // Blink ids of students whose discharge or deletion the removal guard
  // held. Links to them stay in Blink until the removal goes through.
  const std::set<std::int64_t>* held_student_removals = nullptr;
};

// Totals of a plan, by action, for logs and --dry-run.
struct PlanCounts {
  std::size_t created = 0;
  std::size_t adopted = 0;
  std::size_t updated = 0;
  std::size_t linked = 0;  // operations that send linked_student_ids
  std::size_t discharged = 0;
  std::size_t deleted = 0;
  std::size_t forgotten = 0;
  std::size_t pulled = 0;     // operations that write Blink's values back to the roster
  std::size_t drift = 0;      // operations that put back Blink edits of roster-owned fields
  std::size_t conflicts = 0;  // fields changed on both sides, newly found
};

PlanCounts count_operations(const Plan& plan);

}  // namespace blink_sync
