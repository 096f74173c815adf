#include "mapping/record_merge.hpp"

#include "mapping/field_access.hpp"
#include "mapping/field_merge.hpp"

namespace blink_sync {
namespace {

FieldConflict make_conflict(Entity entity, const std::string& local_id, std::int64_t blink_id, const FieldSpec& spec,
                            const FieldSides& sides, ConflictPolicy policy) {
  return FieldConflict{entity,          local_id,       blink_id, std::string(spec.blink_key), *sides.desired,
                       *sides.remote, sides.base, policy};
}

// Returns true when both sides still hold the last-synced values byte for
// byte, as most records do in a steady cycle, so no field needs merging.
// Not with open conflicts, which a record back at its last-synced values
// resolves.
bool unchanged_on_both_sides(const FieldValues& desired, const FieldValues& remote, const FieldValues* synced,
                             const MergeRules& rules) {
  const bool conflicts_open = rules.open_conflicts != nullptr && !rules.open_conflicts->empty();
  return synced != nullptr && !conflicts_open && desired == *synced && remote == *synced;
}

bool roster_takes(const MergeRules& rules, std::size_t slot) {
  const auto* takes = rules.roster_takes;
  return takes == nullptr || takes->empty() || (slot < takes->size() && (*takes)[slot]);
}

// A conflict that Blink would win on a field the roster cannot take is
// reported instead, so that neither side's value is lost.
ConflictPolicy effective_policy(const MergeRules& rules, bool takes) {
  return rules.policy == ConflictPolicy::blink_wins && !takes ? ConflictPolicy::report : rules.policy;
}

}  // namespace

RecordMerge merge_record(Entity entity, const std::string& local_id, std::int64_t blink_id,
                         const FieldValues& desired, const FieldValues& remote, const FieldValues* synced,
                         const MergeRules& rules) {
  static const FieldValues kNone;
  const auto& base = synced != nullptr ? *synced : kNone;
  const auto specs = fields_of(entity);
  RecordMerge merge;
  // Only `send` is sized up front, because the planner fills it further;
  // the others stay empty, without an allocation, until a slot is set.
  merge.send = FieldValues(entity);
  if (unchanged_on_both_sides(desired, remote, synced, rules)) {
    return merge;
  }

  for (std::size_t i = 0; i < specs.size(); ++i) {
    const FieldSides sides{value_at(desired, i), value_at(remote, i), value_at(base, i)};
    if (!sides.desired) {
      continue;  // the roster does not manage the field
    }
    const auto* open = rules.open_conflicts == nullptr
                           ? nullptr
                           : rules.open_conflicts->find(entity, local_id, specs[i].blink_key);
    const bool takes = roster_takes(rules, i);
    const auto policy = effective_policy(rules, takes);
    const FieldRules field_rules{specs[i].kind, rules.owners.owner(entity, i), policy, open, takes,
                                 rules.base_trusted};
    const auto decision = merge_field(sides, field_rules);

    if (open != nullptr && !decision.held) {
      merge.resolved.push_back(ConflictKey{entity, local_id, std::string(specs[i].blink_key)});
    }
    if (decision.conflict) {
      merge.conflicts.push_back(make_conflict(entity, local_id, blink_id, specs[i], sides, policy));
    }

    switch (decision.action) {
      case FieldAction::none:
        break;
      case FieldAction::rebase:
        set_value(entity, merge.synced_updates, i, sides.desired);
        break;
      case FieldAction::put_back:
        merge.drift.emplace_back(specs[i].blink_key);
        [[fallthrough]];
      case FieldAction::push:
        set_value(entity, merge.send, i, sides.desired);
        set_value(entity, merge.synced_updates, i, sides.desired);
        merge.changed.emplace_back(specs[i].blink_key);
        break;
      case FieldAction::pull:
        set_value(entity, merge.pulled, i, sides.remote);
        set_value(entity, merge.synced_updates, i, sides.remote);
        break;
    }
  }
  return merge;
}

}  // namespace blink_sync
