#pragma once

#include <array>

#include "mapping/entity.hpp"
#include "mapping/plan.hpp"

namespace blink_sync {

// The way a cycle reads one of Blink's lists.
enum class ListRead {
  full,         // every page, sorted by id
  incremental,  // newest updated_at first, down to the last read's newest
  skip,         // not read: the plan sends nothing for the entity
};

// What decides between a full and an incremental read.
struct ReadChoiceInput {
  const Plan* assumed_plan = nullptr;  // the roster planned against the mapping table alone
  bool resync = false;
  bool intents_in_doubt = false;
  // Per entity (indexed by Entity): an incremental read is possible, since
  // a mark from an earlier read exists and no full read is due.
  std::array<bool, 3> incremental_possible{};
};

// Chooses, per entity, how this cycle reads Blink. A list is read in full
// when no usable mark exists, on --resync, or while an intent is in doubt.
// It is also read in full when the plan creates records of the entity,
// because adoption needs every candidate; staff and student-logins share
// emails, so a created user reads both user lists. The same goes for a
// plan that sends link sets of the entity: Blink may not bump updated_at
// when only links change, and a link added in Blink must be kept. A list for which the plan sends nothing is not read at all when an
// incremental read would be possible. Otherwise only the records changed
// since the last read are read.
std::array<ListRead, 3> choose_list_reads(const ReadChoiceInput& input);

}  // namespace blink_sync
