#pragma once

#include "mapping/desired_state.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// Diffs the roster (desired), Blink (remote) and the mapping table (the ids
// and the last-synced copy) into an ordered plan. Pure: no I/O, no clock.
//
// - A roster record without a mapping adopts the one unmapped Blink record
//   with the same natural key, or is created when there is none. Two or more
//   candidates are an ambiguity, reported and never guessed.
// - A mapped record is updated with the fields that differ from the
//   last-synced copy (from Blink itself when `options.resync`), and with its
//   complete linked-student set when that differs from Blink's.
// - A mapped record that left the roster is discharged, deleted or kept by
//   the leave policy, unless its query looks broken (no rows at all) or
//   its row is invalid this cycle.
Plan plan_sync(const DesiredState& desired, const RemoteState& remote, const IdentityMap& mapping,
               const PlanOptions& options);

}  // namespace blink_sync
