#pragma once

#include "bench/synthetic_roster.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync::bench {

// Blink and the mapping table as a full sync of the roster left them.
struct SyncedCopy {
  RemoteState remote;
  IdentityMap mapping;
};

// Generates Blink's lists and the mapping table from the synced version of
// every record that the last sync put in Blink, validated as the roster
// rows are, so their fields are in canonical form.
SyncedCopy make_synced_copy(SyntheticRoster& roster, const ValidationContext& context);

}  // namespace blink_sync::bench
