#pragma once

#include <pqxx/connection>
#include <pqxx/notification>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/housekeeping.hpp"

namespace blink_sync {

// The channel blink-sync --resync notifies after it stores a request.
constexpr const char* kResyncChannel = "blink_sync_resync";

// A heartbeat older than this means the daemon that wrote it is gone.
constexpr std::chrono::seconds kHeartbeatStale{60};
// After a failure the control connection is opened again no sooner than
// this, so an outage costs one warning and one attempt per interval.
constexpr std::chrono::seconds kControlReconnectDelay{30};

// Resync requests that the next cycle carries out.
struct ResyncClaim {
  std::vector<std::int64_t> request_ids;
  std::optional<std::size_t> allowed_removals;  // the largest one requested
};

// The daemon's side of blink_sync.service_heartbeat and
// blink_sync.resync_requests, on a PostgreSQL connection of its own so that
// it never interleaves with a cycle's statements. Every method catches and
// logs database failures and reconnects after kControlReconnectDelay,
// because losing this channel must not stop synchronisation. Call from the
// event loop's thread.
class ServiceControl final : public ControlChannel {
 public:
  ServiceControl(std::string database_url, std::string config_path);
  ~ServiceControl();

  // Writes the heartbeat row (pid, host, version, config path, beat_at and
  // the next cycle's time when known).
  void beat(std::optional<std::chrono::system_clock::time_point> next_cycle = std::nullopt) override;

  // Marks requests not yet seen as accepted. Reads the table when a NOTIFY
  // arrived or `force` is set; returns whether any request is waiting.
  bool accept_requests(bool force) override;

  // Returns whether an accepted request waits for its cycle.
  bool resync_pending() const override { return pending_; }

  // Returns whether a roster trigger sent a NOTIFY since the last clear.
  bool roster_changed() const override { return roster_changed_; }
  void clear_roster_changed() override { roster_changed_ = false; }

  // Marks the waiting requests as started and returns them, or nullopt.
  std::optional<ResyncClaim> claim();

  // Records the run that carried out `claim`. When that run did not
  // complete (it failed or was stopped), the requests wait again, so the
  // next cycle, at its usual time, is a resync too.
  void finish(const ResyncClaim& claim, std::optional<std::int64_t> run_id, bool completed);

  // Deletes the heartbeat row at a clean stop.
  void clear();

 private:
  class Receiver;

  // Returns the open connection, opening it when the last failure is
  // older than kControlReconnectDelay, or nullptr.
  pqxx::connection* connection();
  void drop_connection(const std::exception& error, const char* step);
  void succeeded();

  std::string database_url_;
  std::string config_path_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<Receiver> receiver_;
  std::unique_ptr<Receiver> roster_receiver_;
  std::optional<std::chrono::system_clock::time_point> next_cycle_;
  std::chrono::steady_clock::time_point retry_after_{};
  bool failing_ = false;  // the last statement failed; warned once
  bool notified_ = true;  // read the table once at start
  bool pending_ = false;
  bool roster_changed_ = false;
};

}  // namespace blink_sync
