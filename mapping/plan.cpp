#include "mapping/plan.hpp"

#include "mapping/field_access.hpp"

namespace blink_sync {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::create:
      return "create";
    case Action::adopt:
      return "adopt";
    case Action::update:
      return "update";
    case Action::discharge:
      return "discharge";
    case Action::remove:
      return "delete";
    case Action::forget:
      return "forget";
    case Action::pull:
      return "pull";
  }
  return "unknown";
}

namespace {

void count_blink_edits(const Operation& operation, PlanCounts& counts) {
  if (has_any_value(operation.pulled)) {
    ++counts.pulled;
  }
  if (!operation.drift.empty()) {
    ++counts.drift;
  }
}

}  // namespace

PlanCounts count_operations(const Plan& plan) {
  PlanCounts counts;
  for (const auto& operation : plan.operations) {
    switch (operation.action) {
      case Action::create:
        ++counts.created;
        break;
      case Action::adopt:
        ++counts.adopted;
        break;
      case Action::update:
        ++counts.updated;
        break;
      case Action::discharge:
        ++counts.discharged;
        break;
      case Action::remove:
        ++counts.deleted;
        break;
      case Action::forget:
        ++counts.forgotten;
        break;
      case Action::pull:
        break;
    }
    if (operation.links) {
      ++counts.linked;
    }
    count_blink_edits(operation, counts);
  }
  counts.conflicts = plan.conflicts.size();
  return counts;
}

}  // namespace blink_sync
