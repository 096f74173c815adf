#include "mapping/field_merge.hpp"

namespace blink_sync {
namespace {

bool same(FieldKind kind, const std::optional<std::string>& left, const std::optional<std::string>& right) {
  return left && right && same_value(kind, *left, *right);
}

FieldDecision decide(FieldAction action) { return FieldDecision{action, false, false}; }

FieldDecision resolve_conflict(ConflictPolicy policy) {
  switch (policy) {
    case ConflictPolicy::roster_wins:
      return FieldDecision{FieldAction::push, true, false};
    case ConflictPolicy::blink_wins:
      return FieldDecision{FieldAction::pull, true, false};
    case ConflictPolicy::report:
      return FieldDecision{FieldAction::none, true, false};
  }
  return FieldDecision{FieldAction::none, true, false};
}

// An open conflict stays in force while the roster still has the reported
// value and Blink has either the reported value or one not known to be
// newer. The last-synced value is such a value, because a cycle that did
// not read the record assumes it.
bool conflict_still_holds(const FieldSides& sides, const FieldRules& rules) {
  const auto* open = rules.open_conflict;
  if (open == nullptr || !same_value(rules.kind, *sides.desired, open->roster_value)) {
    return false;
  }
  if (!sides.remote) {
    return true;
  }
  return same_value(rules.kind, *sides.remote, open->blink_value) || same(rules.kind, sides.remote, sides.base);
}

// No last-synced value: nothing shows which side changed, so the owner wins.
FieldDecision merge_without_base(const FieldSides& sides, const FieldRules& rules) {
  if (!sides.remote) {
    return decide(FieldAction::push);
  }
  if (same_value(rules.kind, *sides.desired, *sides.remote)) {
    return decide(FieldAction::rebase);
  }
  return decide(rules.owner == FieldOwner::roster ? FieldAction::push : FieldAction::pull);
}

// The three-way comparison with a last-synced value.
FieldDecision merge_with_base(const FieldSides& sides, const FieldRules& rules) {
  const bool roster_changed = !same_value(rules.kind, *sides.desired, *sides.base);
  const bool blink_changed = sides.remote && !same_value(rules.kind, *sides.remote, *sides.base);
  const bool roster_owned = rules.owner == FieldOwner::roster;
  if (!roster_changed && !blink_changed) {
    return decide(FieldAction::none);
  }
  if (roster_changed && !blink_changed) {
    return decide(roster_owned ? FieldAction::push : FieldAction::none);
  }
  if (!roster_changed) {
    return decide(roster_owned ? FieldAction::put_back : FieldAction::pull);
  }

  if (same_value(rules.kind, *sides.desired, *sides.remote)) {
    return decide(FieldAction::rebase);
  }
  return resolve_conflict(rules.policy);
}

// Under --resync, a field left with two different values is set by its
// owner, because the last-synced copy may be wrong.
bool owner_must_decide(const FieldSides& sides, const FieldRules& rules, const FieldDecision& decision) {
  const bool differ = !sides.remote || !same_value(rules.kind, *sides.desired, *sides.remote);
  return !rules.base_trusted && decision.action == FieldAction::none && !decision.conflict && differ;
}

// Blink's value is taken only where the roster can store it.
FieldDecision within_reach(FieldDecision decision, const FieldRules& rules) {
  if (decision.action == FieldAction::pull && !rules.roster_takes) {
    decision.action = FieldAction::none;
  }
  return decision;
}

}  // namespace

FieldDecision merge_field(const FieldSides& sides, const FieldRules& rules) {
  if (!sides.desired) {
    return decide(FieldAction::none);
  }
  if (conflict_still_holds(sides, rules)) {
    return FieldDecision{FieldAction::none, false, true};
  }
  if (!sides.base) {
    return within_reach(merge_without_base(sides, rules), rules);
  }

  auto decision = merge_with_base(sides, rules);
  if (owner_must_decide(sides, rules, decision)) {
    decision = merge_without_base(sides, rules);
  }
  return within_reach(decision, rules);
}

bool sends_roster_value(const FieldDecision& decision) {
  return decision.action == FieldAction::push || decision.action == FieldAction::put_back;
}

}  // namespace blink_sync
