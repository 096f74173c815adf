#include "daemon/pull_coverage.hpp"

#include "daemon/write_back.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {
namespace {

// Returns ":a, :b" for the slots that `selected` marks and the
// changed_in_blink statement does not bind.
std::string unbound_parameters(const WriteBackRunner& runner, Entity entity, const std::vector<bool>& selected) {
  const auto bound = runner.fields_taken(entity);
  std::string names;
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (selected[i] && !bound[i]) {
      names += (names.empty() ? ":" : ", :") + field_parameter_name(entity, i);
    }
  }
  return names;
}

std::vector<bool> blink_owned(const FieldOwners& owners, Entity entity) {
  std::vector<bool> slots(fields_of(entity).size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    slots[i] = owners.owner(entity, i) == FieldOwner::blink;
  }
  return slots;
}

}  // namespace

std::vector<std::string> pull_coverage_warnings(const Config& config) {
  const WriteBackRunner runner(config.write_back);
  const auto& edits = config.sync.edits;
  std::vector<std::string> warnings;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const auto statement = "write_back." + write_back_entity_key(entity) + ".changed_in_blink";

    const auto owned = unbound_parameters(runner, entity, blink_owned(edits.field_owners, entity));
    if (!owned.empty()) {
      warnings.push_back("sync.field_owners gives fields of " + std::string(entity_name(entity)) +
                         " to Blink, but " + statement + " does not bind " + owned +
                         ", so Blink's edits of them stay in Blink and the roster keeps its values; bind them in "
                         "that statement to write them back");
    }

    if (edits.conflict_policy != ConflictPolicy::blink_wins) {
      continue;
    }
    const auto every = unbound_parameters(runner, entity, std::vector<bool>(fields_of(entity).size(), true));
    if (!every.empty()) {
      warnings.push_back("sync.conflict_policy is blink_wins, but " + statement + " does not bind " + every +
                         ", so a conflict on one of those fields of " + std::string(entity_name(entity)) +
                         " is reported in blink_sync.conflicts instead and neither value changes");
    }
  }
  return warnings;
}

}  // namespace blink_sync
