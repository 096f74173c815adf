#pragma once

#include <pqxx/connection>
#include <pqxx/dbtransaction>

#include <array>
#include <cstdint>
#include <vector>

#include "daemon/read_marks.hpp"
#include "daemon/write_back.hpp"
#include "mapping/desired_state.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/record_error.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// A record read from Blink, with the roster record it is mapped to.
struct ReadRecord {
  const RemoteRecord* record = nullptr;
  const std::string* local_id = nullptr;  // nullptr when unmapped
};

// Inserts or replaces the stored copies of `records` of one entity with one
// statement, and returns the mapped ones whose join_by_link or activated
// differ from the copy stored before (or that had no copy yet). Fields are
// not compared: the planner handles a field edited in Blink.
std::vector<std::int64_t> write_remote_records(pqxx::dbtransaction& transaction, Entity entity,
                                               const std::vector<ReadRecord>& records);

// Deletes the stored copies of records gone from Blink.
void erase_remote_records(pqxx::dbtransaction& transaction, Entity entity, const std::vector<std::int64_t>& blink_ids);

// Stores what a cycle read from Blink in blink_sync.remote_records, in
// batches of one statement each, and runs the changed_in_blink write-back
// for every mapped record whose join link or activation changed, in the
// batch's transaction.
// Records taken from the mapping table instead of Blink are not stored.
// After a complete full read, copies of records absent from the list are
// deleted; after any read, those of records confirmed gone.
class RemoteCopy {
 public:
  RemoteCopy(pqxx::connection& connection, const WriteBackRunner& write_back)
      : connection_(connection), write_back_(write_back) {}

  // Returns the write-back errors. Throws pqxx exceptions when a batch
  // cannot be stored; the batches committed before stay.
  std::vector<RecordError> store_read(const RemoteState& remote, const std::array<ListReadSummary, 3>& summaries,
                                      const IdentityMap& mapping, const DesiredState& desired);

 private:
  void store_entity(Entity entity, const RemoteEntity& list, bool full_read, const IdentityMap& mapping,
                    const EntityRoster& roster, std::vector<RecordError>& errors);
  void run_changed_in_blink(pqxx::dbtransaction& transaction, Entity entity, const RemoteEntity& list,
                            const IdentityMap& mapping, const EntityRoster& roster, std::int64_t blink_id,
                            std::vector<RecordError>& errors);

  pqxx::connection& connection_;
  const WriteBackRunner& write_back_;
};

}  // namespace blink_sync
