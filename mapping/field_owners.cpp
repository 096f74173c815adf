#include "mapping/field_owners.hpp"

#include <algorithm>

#include "mapping/fields.hpp"

namespace blink_sync {

std::string_view conflict_policy_name(ConflictPolicy policy) {
  switch (policy) {
    case ConflictPolicy::roster_wins:
      return "roster_wins";
    case ConflictPolicy::blink_wins:
      return "blink_wins";
    case ConflictPolicy::report:
      return "report";
  }
  return "roster_wins";
}

std::string_view blink_only_policy_name(BlinkOnlyPolicy policy) {
  switch (policy) {
    case BlinkOnlyPolicy::ignore:
      return "ignore";
    case BlinkOnlyPolicy::import:
      return "import";
    case BlinkOnlyPolicy::remove:
      return "delete";
  }
  return "ignore";
}

FieldOwners::FieldOwners() {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    owners_[static_cast<std::size_t>(entity)].assign(fields_of(entity).size(), FieldOwner::roster);
  }
}

bool FieldOwners::set(Entity entity, std::string_view blink_key, FieldOwner owner) {
  const auto slot = field_index(entity, blink_key);
  if (!slot) {
    return false;
  }

  const auto specs = fields_of(entity);
  auto& owners = owners_[static_cast<std::size_t>(entity)];
  const auto group = specs[*slot].group;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const bool same_group = group != FieldGroup::none && specs[i].group == group;
    if (i == *slot || same_group) {
      owners[i] = owner;
    }
  }
  return true;
}

FieldOwner FieldOwners::owner(Entity entity, std::size_t slot) const {
  const auto& owners = owners_[static_cast<std::size_t>(entity)];
  return slot < owners.size() ? owners[slot] : FieldOwner::roster;
}

bool FieldOwners::any_blink_owned(Entity entity) const {
  const auto& owners = owners_[static_cast<std::size_t>(entity)];
  return std::find(owners.begin(), owners.end(), FieldOwner::blink) != owners.end();
}

}  // namespace blink_sync
