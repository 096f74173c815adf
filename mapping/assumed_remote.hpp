#pragma once

#include "mapping/identity_map.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// Returns Blink as the mapping table last saw it: every mapped record with
// its last-synced fields and links. Planning the roster against it shows
// whether anything at all must be sent, without reading Blink.
RemoteState assumed_remote(const IdentityMap& mapping);

// Returns one mapped record as the mapping table last saw it, marked as
// assumed rather than read.
RemoteRecord assumed_record(const MappedRecord& record);

}  // namespace blink_sync
