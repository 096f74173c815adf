#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/entity.hpp"

namespace blink_sync {

// The side whose edits of a field win when only one side changed it.
enum class FieldOwner { roster, blink };

// The resolution of a field that the roster and Blink both changed, to
// different values, since the last sync.
enum class ConflictPolicy {
  roster_wins,  // send the roster's value to Blink
  blink_wins,   // write Blink's value back to the roster
  report,       // change neither side; the conflict stays open until they agree
};

// The treatment of a Blink record that no roster record maps or adopts.
enum class BlinkOnlyPolicy {
  ignore,  // leave it, and keep its links in the link sets sent
  import,  // store it in the staging table (or run the import statement)
  remove,  // delete it in Blink, through the removal guard
};

std::string_view conflict_policy_name(ConflictPolicy policy);
std::string_view blink_only_policy_name(BlinkOnlyPolicy policy);

// The owner of every field, per entity. Every field is roster-owned unless
// listed here. The notification preferences of a student-login are one
// group, which Blink replaces as a whole, so they share one owner.
class FieldOwners {
 public:
  FieldOwners();

  // Sets the owner of a field by its Blink key. Setting one notification
  // preference sets the whole group. Returns false for a key the entity
  // does not have.
  bool set(Entity entity, std::string_view blink_key, FieldOwner owner);

  FieldOwner owner(Entity entity, std::size_t slot) const;

  // Returns true when any field of the entity is Blink-owned.
  bool any_blink_owned(Entity entity) const;

  bool operator==(const FieldOwners&) const = default;

 private:
  std::array<std::vector<FieldOwner>, 3> owners_;
};

}  // namespace blink_sync
