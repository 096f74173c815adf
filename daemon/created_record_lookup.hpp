#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <vector>

#include "daemon/blink_client.hpp"
#include "mapping/entity.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// The records in Blink with an id above a watermark.
struct NewerRecords {
  bool complete = false;  // every such record was read
  std::vector<RemoteRecord> records;
  std::string problem;  // why the read is incomplete, without personal data
};

// Reads the records of an entity created after `watermark` (the highest id
// the cycle's own read of the list saw), newest first, stopping at the first
// page that reaches the watermark. A record created by a request whose
// response was lost is among them, so one GET usually settles the doubt
// without reading the whole list again.
boost::asio::awaitable<NewerRecords> read_newer_records(BlinkClient& client, Entity entity, std::int64_t watermark,
                                                        int page_size);

// Returns the highest id in `remote`, or 0 when it is empty.
std::int64_t highest_id(const RemoteEntity& remote);

}  // namespace blink_sync
