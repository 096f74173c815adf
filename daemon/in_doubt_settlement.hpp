#pragma once

#include <chrono>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "daemon/journal.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/plan.hpp"
#include "mapping/record_error.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// Roster records that must not be created this cycle, because an earlier
// create of theirs is still in doubt.
using HeldRecords = std::set<std::pair<Entity, std::string>>;

// Settles the journal's open intents against Blink as read at the start of
// this cycle, before anything is planned:
// - a create found by its natural key is mapped;
// - a create Blink does not have, once settled, is closed so the plan may
//   send it again;
// - a create still in doubt or matching several records keeps its record back
//   (and becomes a record error);
// - an update or delete takes Blink's current values as the last-synced
//   copy, so the plan sends what still differs.
// With `commit` false (a dry run) the journal and mapping table are left
// as they are and only `mapping` changes.
HeldRecords settle_open_intents(Journal& journal, const std::vector<OpenIntent>& intents, const RemoteState& remote,
                                IdentityMap& mapping, bool commit, std::vector<RecordError>& errors);

}  // namespace blink_sync
