#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <set>
#include <string>

#include "daemon/event_reader.hpp"
#include "daemon/event_store.hpp"
#include "daemon/sync_cycle.hpp"

namespace blink_sync {

// The appointment part of a cycle, run after staff, students and logins
// are synced, because events link to their Blink ids. It reads the events
// query and, per mapped staff member, Blink's events in the configured
// window. It settles event writes left in doubt, stores what was read with
// the status changes written back, and then plans and executes. Its
// totals and errors are added to `report`. The cycle runs it only when
// events.enabled is set.
class EventSync {
 public:
  explicit EventSync(SyncCycle::Dependencies dependencies) : dependencies_(dependencies) {}

  // Throws what the cycle catches: RosterQueryError, RemoteReadError,
  // AuthenticationFailed, Interrupted, BlinkUnavailable, pqxx errors.
  boost::asio::awaitable<void> run(const CycleRequest& request, CycleReport& report);

 private:
  struct Inputs;

  Inputs read_local_inputs(EventStore& store);
  static std::string read_digest(const Inputs& inputs);
  bool read_can_wait(const CycleRequest& request, EventStore& store, const Inputs& inputs, const std::string& digest);
  static void save_read_mark(EventStore& store, const Inputs& inputs, const std::optional<std::string>& digest);
  boost::asio::awaitable<std::set<std::string>> settle(bool dry_run, EventStore& store, EventReader& reader,
                                                       Inputs& inputs);
  boost::asio::awaitable<std::optional<std::int64_t>> find_lost_create(EventReader& reader,
                                                                       const OpenEventIntent& intent, Inputs& inputs);
  void store_read(EventStore& store, Inputs& inputs, const EventPlan& plan);

  SyncCycle::Dependencies dependencies_;
};

}  // namespace blink_sync
