#include "daemon/service_control.hpp"

#include <unistd.h>

#include <pqxx/result>
#include <pqxx/transaction>
#include <spdlog/spdlog.h>

#include "daemon/database_error.hpp"
#include "daemon/roster_triggers.hpp"

namespace blink_sync {

class ServiceControl::Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const char* channel, bool& notified)
      : pqxx::notification_receiver(connection, channel), notified_(notified) {}

  void operator()(const std::string&, int) override { notified_ = true; }

 private:
  bool& notified_;
};

namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) {
    return "unknown";
  }
  return name;
}

double seconds_since_epoch(std::chrono::system_clock::time_point time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

}  // namespace

ServiceControl::ServiceControl(std::string database_url, std::string config_path)
    : database_url_(std::move(database_url)), config_path_(std::move(config_path)) {}

ServiceControl::~ServiceControl() {
  roster_receiver_.reset();
  receiver_.reset();
  connection_.reset();
}

pqxx::connection* ServiceControl::connection() {
  if (connection_ && connection_->is_open()) {
    return connection_.get();
  }
  if (std::chrono::steady_clock::now() < retry_after_) {
    return nullptr;
  }
  roster_receiver_.reset();
  receiver_.reset();
  connection_ = std::make_unique<pqxx::connection>(database_url_);
  receiver_ = std::make_unique<Receiver>(*connection_, kResyncChannel, notified_);
  roster_receiver_ = std::make_unique<Receiver>(*connection_, kRosterChannel, roster_changed_);
  notified_ = true;  // a NOTIFY may have been missed while disconnected
  return connection_.get();
}

void ServiceControl::drop_connection(const std::exception& error, const char* step) {
  if (!failing_) {
    spdlog::warn("service: cannot {} in the blink_sync tables: {}; trying again every {} s", step,
                 describe_database_error(error), kControlReconnectDelay.count());
  }
  failing_ = true;
  retry_after_ = std::chrono::steady_clock::now() + kControlReconnectDelay;
  roster_receiver_.reset();
  receiver_.reset();
  connection_.reset();
}

void ServiceControl::succeeded() {
  if (failing_) {
    spdlog::info("service: the blink_sync control tables are reachable again");
  }
  failing_ = false;
}

void ServiceControl::beat(std::optional<std::chrono::system_clock::time_point> next_cycle) {
  if (next_cycle) {
    next_cycle_ = next_cycle;
  }
  try {
    auto* database = connection();
    if (database == nullptr) {
      return;
    }
    pqxx::work transaction(*database);
    std::optional<double> next;
    if (next_cycle_) {
      next = seconds_since_epoch(*next_cycle_);
    }
    transaction.exec_params(
        "INSERT INTO blink_sync.service_heartbeat (pid, host, version, config_path, next_cycle_at) "
        "VALUES ($1, $2, $3, $4, to_timestamp($5)) "
        "ON CONFLICT (singleton) DO UPDATE SET pid = EXCLUDED.pid, host = EXCLUDED.host, "
        "version = EXCLUDED.version, config_path = EXCLUDED.config_path, beat_at = now(), "
        "next_cycle_at = EXCLUDED.next_cycle_at, "
        "started_at = CASE WHEN service_heartbeat.pid = EXCLUDED.pid AND service_heartbeat.host = EXCLUDED.host "
        "THEN service_heartbeat.started_at ELSE now() END",
        static_cast<int>(::getpid()), host_name(), std::string(BLINK_SYNC_VERSION), config_path_, next);
    transaction.commit();
    succeeded();
  } catch (const std::exception& error) {
    drop_connection(error, "write the heartbeat");
  }
}

bool ServiceControl::accept_requests(bool force) {
  try {
    auto* database = connection();
    if (database == nullptr) {
      return pending_;
    }
    database->get_notifs();
    if (!notified_ && !force) {
      return pending_;
    }
    notified_ = false;
    pqxx::work transaction(*database);
    const auto accepted = transaction.exec(
        "UPDATE blink_sync.resync_requests SET accepted_at = now() "
        "WHERE accepted_at IS NULL RETURNING id");
    // A request whose cycle did not complete has a run_id and waits for the
    // next cycle at its usual time, so a failing resync is not retried at once.
    const auto waiting = transaction
                             .exec1("SELECT count(*) FROM blink_sync.resync_requests "
                                    "WHERE started_at IS NULL AND run_id IS NULL")[0]
                             .as<long>();
    transaction.commit();
    succeeded();
    for (const auto& row : accepted) {
      spdlog::info("service: accepted resync request={}; it runs as the next cycle", row[0].as<std::int64_t>());
    }
    pending_ = waiting > 0;
  } catch (const std::exception& error) {
    drop_connection(error, "read resync requests");
  }
  return pending_;
}

std::optional<ResyncClaim> ServiceControl::claim() {
  try {
    auto* database = connection();
    if (database == nullptr) {
      return std::nullopt;
    }
    pqxx::work transaction(*database);
    const auto rows = transaction.exec(
        "UPDATE blink_sync.resync_requests SET started_at = now(), accepted_at = COALESCE(accepted_at, now()) "
        "WHERE started_at IS NULL RETURNING id, allowed_removals");
    transaction.commit();
    succeeded();
    pending_ = false;
    if (rows.empty()) {
      return std::nullopt;
    }
    ResyncClaim claim;
    for (const auto& row : rows) {
      claim.request_ids.push_back(row[0].as<std::int64_t>());
      if (!row[1].is_null()) {
        const auto allowed = row[1].as<std::size_t>();
        claim.allowed_removals = std::max(claim.allowed_removals.value_or(0), allowed);
      }
    }
    return claim;
  } catch (const std::exception& error) {
    drop_connection(error, "start resync requests");
    return std::nullopt;
  }
}

void ServiceControl::finish(const ResyncClaim& claim, std::optional<std::int64_t> run_id, bool completed) {
  try {
    auto* database = connection();
    if (database == nullptr) {
      return;
    }
    pqxx::work transaction(*database);
    for (const auto id : claim.request_ids) {
      transaction.exec_params(
          "UPDATE blink_sync.resync_requests SET run_id = $1, "
          "started_at = CASE WHEN $3 THEN started_at END WHERE id = $2",
          run_id, id, completed);
      if (!completed) {
        spdlog::warn("service: resync request={} did not complete in cycle={}; it runs again as the next cycle", id,
                     run_id ? std::to_string(*run_id) : std::string("unrecorded"));
      }
    }
    transaction.commit();
    succeeded();
  } catch (const std::exception& error) {
    drop_connection(error, "record the resync run");
  }
}

void ServiceControl::clear() {
  try {
    auto* database = connection();
    if (database == nullptr) {
      return;
    }
    pqxx::work transaction(*database);
    transaction.exec_params("DELETE FROM blink_sync.service_heartbeat WHERE pid = $1",
                            static_cast<int>(::getpid()));
    transaction.commit();
    succeeded();
  } catch (const std::exception& error) {
    drop_connection(error, "remove the heartbeat");
  }
}

}  // namespace blink_sync
