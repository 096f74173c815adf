#include "mapping/deletion_guard.hpp"

#include <algorithm>

namespace blink_sync {
namespace {

constexpr std::array<Entity, 3> kEntities = {Entity::student, Entity::student_login, Entity::staff};

bool entity_over_limit(const EntityRemovals& removals, const RemovalLimits& limits) {
  const bool over_share =
      removals.planned * 100 > removals.mapped * static_cast<std::size_t>(std::max(limits.max_percent, 0));
  return over_share && removals.planned >= limits.min_held;
}

std::string entity_reason(Entity entity, const EntityRemovals& removals, const RemovalLimits& limits) {
  return "the " + std::string(entity_name(entity)) + " removals (" + std::to_string(removals.planned) +
         " of " + std::to_string(removals.mapped) + " mapped) are more than sync.max_removal_percent (" +
         std::to_string(limits.max_percent) + "%) and at least sync.min_removals_held (" +
         std::to_string(limits.min_held) + ")";
}

std::string total_reason(std::size_t planned, const RemovalLimits& limits) {
  return "the cycle would remove " + std::to_string(planned) + " records, more than sync.max_removals (" +
         std::to_string(limits.max_total) + ")";
}

}  // namespace

bool is_removal(Action action) { return action == Action::discharge || action == Action::remove; }

RemovalHold hold_mass_removals(Plan& plan, const std::array<std::size_t, 3>& mapped_counts,
                               const RemovalLimits& limits, std::optional<std::size_t> allowance) {
  RemovalHold hold;

  // Count the removals of each entity.
  for (const auto& operation : plan.operations) {
    if (is_removal(operation.action)) {
      ++hold.by_entity[static_cast<int>(operation.entity)].planned;
      ++hold.planned;
    }
  }

  // Decide which entities are held.
  std::array<bool, 3> held_entity{};
  const bool over_total = hold.planned > limits.max_total;
  if (over_total) {
    hold.reasons.push_back(total_reason(hold.planned, limits));
  }
  for (const auto entity : kEntities) {
    auto& removals = hold.by_entity[static_cast<int>(entity)];
    removals.mapped = mapped_counts[static_cast<int>(entity)];
    const bool over_entity = entity_over_limit(removals, limits);
    if (over_entity) {
      hold.reasons.push_back(entity_reason(entity, removals, limits));
    }
    held_entity[static_cast<int>(entity)] = over_total || over_entity;
  }

  // Take the held removals out of the plan, letting the allowance through.
  std::size_t allowance_left = allowance.value_or(0);
  std::vector<Operation> kept;
  kept.reserve(plan.operations.size());
  for (auto& operation : plan.operations) {
    const bool held = is_removal(operation.action) && held_entity[static_cast<int>(operation.entity)];
    if (held && allowance_left > 0) {
      --allowance_left;
      ++hold.allowed;
      kept.push_back(std::move(operation));
      continue;
    }
    if (held) {
      ++hold.by_entity[static_cast<int>(operation.entity)].held;
      ++hold.held;
      continue;
    }
    kept.push_back(std::move(operation));
  }
  plan.operations = std::move(kept);
  return hold;
}

std::set<std::int64_t> student_removal_ids(const Plan& plan) {
  std::set<std::int64_t> ids;
  for (const auto& operation : plan.operations) {
    if (operation.entity == Entity::student && is_removal(operation.action) && operation.blink_id) {
      ids.insert(*operation.blink_id);
    }
  }
  return ids;
}

}  // namespace blink_sync
