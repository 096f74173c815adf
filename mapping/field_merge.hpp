#pragma once

#include <optional>
#include <string>

#include "mapping/field_conflict.hpp"
#include "mapping/field_owners.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {

// The action a cycle takes on one field of a mapped record.
enum class FieldAction {
  none,      // nothing: unchanged, held by an open conflict, or not the roster's to send
  rebase,    // both sides hold the same new value: only the last-synced copy changes
  push,      // send the roster's value, which the roster changed
  put_back,  // send the roster's value over a Blink edit of a roster-owned field (drift)
  pull,      // take Blink's value into the last-synced copy and write it back to the roster
};

struct FieldDecision {
  FieldAction action = FieldAction::none;
  // True when both sides changed the field to different values; `action` is
  // then the policy's resolution: push, pull, or none for `report`.
  bool conflict = false;
  // True when an open conflict still has the same values on both sides, so
  // nothing is done and no new conflict is recorded.
  bool held = false;
};

// One field's three values and the rules that apply to it. Unknown values
// are nullopt: the roster does not manage the field, Blink did not return
// it, or nothing was synced yet.
struct FieldSides {
  const std::optional<std::string>& desired;  // the roster's value
  const std::optional<std::string>& remote;   // Blink's current value
  const std::optional<std::string>& base;     // the last-synced value
};

struct FieldRules {
  FieldKind kind = FieldKind::text;
  FieldOwner owner = FieldOwner::roster;
  ConflictPolicy policy = ConflictPolicy::roster_wins;
  const OpenConflict* open_conflict = nullptr;  // an unresolved conflict of this field
  // False when no write-back statement binds the field. A pull then changes
  // nothing, not even the last-synced value, so Blink's edit is not lost.
  bool roster_takes = true;
  // False under --resync: where the three-way comparison leaves two
  // different values alone, the owner's value wins.
  bool base_trusted = true;
};

// Decides one field by a three-way comparison. A side "changed" when its
// value differs from the last-synced one:
//
//   roster   Blink    roster-owned        Blink-owned
//   -        -        none                none
//   changed  -        push                none (the roster's edits are not sent)
//   -        changed  put_back (drift)    pull
//   changed  changed  rebase when both hold the same value, otherwise a
//                     conflict resolved by the policy
//
// Without a last-synced value (first sync after an adoption, or --resync)
// the owner's value wins: roster-owned fields are pushed and Blink-owned
// fields pulled where the two sides differ. Without Blink's value the
// comparison is with the last-synced copy alone. A field the roster does
// not manage is never touched. A pull the roster cannot take becomes none.
// Pure.
//
// NOTE: a value Blink stores in another form than it was sent, beyond what
// same_value treats as equal, looks like an edit in Blink at every full
// read and is put back each time. The fake server stores values as sent;
// the real server's normalisation is not documented.
FieldDecision merge_field(const FieldSides& sides, const FieldRules& rules);

// Returns true when the decision sends the roster's value to Blink.
bool sends_roster_value(const FieldDecision& decision);

}  // namespace blink_sync
