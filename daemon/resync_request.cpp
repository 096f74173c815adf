#include "daemon/resync_request.hpp"

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include <thread>

#include "daemon/database_error.hpp"
#include "daemon/migrations.hpp"
#include "daemon/service_control.hpp"

namespace blink_sync {
namespace {

constexpr auto kAcceptPoll = std::chrono::milliseconds(200);

struct Daemon {
  std::string pid;
  std::string host;
};

std::optional<Daemon> running_daemon(pqxx::connection& connection) {
  if (applied_schema_version(connection) < 3) {
    return std::nullopt;
  }
  pqxx::read_transaction transaction(connection);
  const auto rows = transaction.exec_params(
      "SELECT pid, host FROM blink_sync.service_heartbeat WHERE beat_at > now() - make_interval(secs => $1)",
      static_cast<double>(kHeartbeatStale.count()));
  if (!rows.empty()) {
    return Daemon{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
  }

  // A daemon that is starting holds the organisation lock before its first
  // heartbeat; its connection is named "blink-sync daemon pid=N host=H".
  const auto starting = transaction.exec(
      "SELECT substring(a.application_name from 'pid=([0-9]+)'), substring(a.application_name from 'host=(.*)$') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'blink-sync daemon %' "
      "AND a.datname = current_database() LIMIT 1");
  if (starting.empty()) {
    return std::nullopt;
  }
  return Daemon{starting[0][0].c_str(), starting[0][1].c_str()};
}

std::int64_t store_request(pqxx::connection& connection, std::optional<std::size_t> allowed_removals) {
  pqxx::work transaction(connection);
  const std::optional<long long> allowed =
      allowed_removals ? std::optional<long long>(static_cast<long long>(*allowed_removals)) : std::nullopt;
  const auto id = transaction
                      .exec_params1("INSERT INTO blink_sync.resync_requests (allowed_removals) VALUES ($1) "
                                    "RETURNING id",
                                    allowed)[0]
                      .as<std::int64_t>();
  transaction.exec_params("SELECT pg_notify($1, $2)", std::string(kResyncChannel), std::to_string(id));
  transaction.commit();
  return id;
}

bool wait_for_acceptance(pqxx::connection& connection, std::int64_t id) {
  const auto deadline = std::chrono::steady_clock::now() + kResyncAcceptTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pqxx::read_transaction transaction(connection);
    const auto accepted = transaction
                              .exec_params1("SELECT accepted_at IS NOT NULL FROM blink_sync.resync_requests "
                                            "WHERE id = $1",
                                            id)[0]
                              .as<bool>();
    if (accepted) {
      return true;
    }
    transaction.commit();
    std::this_thread::sleep_for(kAcceptPoll);
  }
  return false;
}

}  // namespace

ResyncRoute request_resync(const Config& config, std::optional<std::size_t> allowed_removals, std::ostream& out,
                           std::ostream& err) {
  std::unique_ptr<pqxx::connection> connection;
  std::optional<Daemon> daemon;
  try {
    connection = std::make_unique<pqxx::connection>(config.database.url);
    daemon = running_daemon(*connection);
  } catch (const pqxx::failure&) {
    // Running the resync here reports the database failure in full.
    return ResyncRoute::no_daemon;
  }
  if (!daemon) {
    return ResyncRoute::no_daemon;
  }

  try {
    const auto id = store_request(*connection, allowed_removals);
    if (!wait_for_acceptance(*connection, id)) {
      err << "blink-sync: stored resync request " << id << ", but the daemon (pid " << daemon->pid << " on "
          << daemon->host << ") did not accept it within " << kResyncAcceptTimeout.count()
          << " s; it stays queued in blink_sync.resync_requests. Check the daemon with: blink-sync --config "
          << config.path << " status\n";
      return ResyncRoute::not_accepted;
    }
    out << "resync request " << id << " accepted by the daemon (pid " << daemon->pid << " on " << daemon->host
        << "); it runs as the next cycle, after any cycle in progress.\n"
        << "Watch it with: blink-sync --config " << config.path
        << " status, journalctl -u blink-sync (or its @ instance), or the log file.\n";
    return ResyncRoute::accepted;
  } catch (const pqxx::failure& error) {
    err << "blink-sync: cannot store the resync request: " << describe_database_error(error) << "\n";
    return ResyncRoute::not_accepted;
  }
}

}  // namespace blink_sync
