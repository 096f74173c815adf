#include "daemon/status_report.hpp"

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include <iomanip>

#include "daemon/admin_exit_codes.hpp"
#include "daemon/blink_edits.hpp"
#include "daemon/database_error.hpp"
#include "daemon/migrations.hpp"
#include "daemon/report_status.hpp"
#include "daemon/service_control.hpp"
#include "daemon/store.hpp"

namespace blink_sync {
namespace {

// Every time is printed in UTC, as ISO 8601 to the second.
constexpr const char* kTime = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

std::string utc(const std::string& column) {
  return "COALESCE(to_char(" + column + " AT TIME ZONE 'UTC', " + kTime + "), '-')";
}

void print_service(pqxx::read_transaction& transaction, std::ostream& out) {
  const auto rows = transaction.exec_params(
      "SELECT pid, host, version, config_path, " + utc("started_at") + ", " + utc("next_cycle_at") +
          ", floor(extract(epoch FROM now() - beat_at))::bigint "
          "FROM blink_sync.service_heartbeat WHERE beat_at > now() - make_interval(secs => $1)",
      static_cast<double>(kHeartbeatStale.count()));
  if (rows.empty()) {
    out << "service: not running (no heartbeat in the last " << kHeartbeatStale.count() << " s)\n";
    return;
  }
  const auto& row = rows[0];
  out << "service: running pid=" << row[0].as<std::string>() << " host=" << row[1].as<std::string>()
      << " version=" << row[2].as<std::string>() << " config=" << row[3].as<std::string>()
      << " since=" << row[4].as<std::string>() << " heartbeat_age_s=" << row[6].as<std::string>() << "\n"
      << "next cycle: " << row[5].as<std::string>() << " (earlier if a resync is requested)\n";
}

// Prints the last runs. `event_counts` is false before the migration that
// added the appointment counts to blink_sync.runs.
void print_runs(pqxx::read_transaction& transaction, std::ostream& out, bool event_counts) {
  const std::string event_columns = event_counts ? "events_created, events_updated, events_deleted" : "0, 0, 0";
  const auto rows = transaction.exec(
      "SELECT id, mode, " + utc("started_at") + ", " + utc("finished_at") +
      ", outcome, created, adopted, updated, linked, discharged, deleted, errors, api_calls, COALESCE(message, ''), " +
      event_columns + " FROM blink_sync.runs ORDER BY id DESC LIMIT 10");
  out << "\nlast runs (newest first):\n";
  if (rows.empty()) {
    out << "  none yet\n";
  }
  for (const auto& row : rows) {
    out << "  cycle=" << row[0].as<std::string>() << " mode=" << row[1].as<std::string>()
        << " started=" << row[2].as<std::string>() << " finished=" << row[3].as<std::string>()
        << " status=" << row[4].as<std::string>() << " created=" << row[5].as<std::string>()
        << " adopted=" << row[6].as<std::string>() << " updated=" << row[7].as<std::string>()
        << " linked=" << row[8].as<std::string>() << " discharged=" << row[9].as<std::string>()
        << " deleted=" << row[10].as<std::string>() << " errors=" << row[11].as<std::string>()
        << " api_calls=" << row[12].as<std::string>();
    if (event_counts) {
      out << " events_created=" << row[14].as<std::string>() << " events_updated=" << row[15].as<std::string>()
          << " events_deleted=" << row[16].as<std::string>();
    }
    const auto message = row[13].as<std::string>();
    if (!message.empty()) {
      out << " message=\"" << message << "\"";
    }
    out << "\n";
  }
}

void print_records_in_error(pqxx::read_transaction& transaction, std::ostream& out) {
  const auto rows = transaction.exec(
      "SELECT entity, local_id, COALESCE(blink_id::text, '-'), COALESCE(http_status::text, '-'), " +
      utc("first_seen") + ", message FROM blink_sync.records_in_error ORDER BY first_seen, entity, local_id LIMIT 200");
  out << "\nrecords in error (" << rows.size() << (rows.size() == 200 ? "+" : "") << "):\n";
  if (rows.empty()) {
    out << "  none\n";
  }
  for (const auto& row : rows) {
    out << "  entity=" << row[0].as<std::string>() << " local_id=" << row[1].as<std::string>()
        << " blink_id=" << row[2].as<std::string>() << " status=" << row[3].as<std::string>()
        << " since=" << row[4].as<std::string>() << " message=\"" << row[5].as<std::string>() << "\"\n";
  }
}

void print_requests(pqxx::read_transaction& transaction, std::ostream& out) {
  const auto rows = transaction.exec(
      "SELECT id, " + utc("requested_at") + ", requested_by, " + utc("accepted_at") +
      ", COALESCE(allowed_removals::text, '-') FROM blink_sync.resync_requests WHERE started_at IS NULL ORDER BY id");
  out << "\npending resync requests:\n";
  if (rows.empty()) {
    out << "  none\n";
  }
  for (const auto& row : rows) {
    out << "  request=" << row[0].as<std::string>() << " requested=" << row[1].as<std::string>()
        << " by=" << row[2].as<std::string>() << " accepted=" << row[3].as<std::string>()
        << " allowed_removals=" << row[4].as<std::string>() << "\n";
  }
}

}  // namespace

int print_status(const Config& config, std::ostream& out, std::ostream& err) {
  try {
    pqxx::connection connection(config.database.url);
    const int version = applied_schema_version(connection);
    if (version < 3) {
      out << "no status yet: the blink_sync schema is at version " << version
          << "; the daemon sets it up when it starts\n";
      return 0;
    }
    pqxx::read_transaction transaction(connection);
    print_service(transaction, out);
    print_runs(transaction, out, version >= kRunEventCountsSchemaVersion);
    print_records_in_error(transaction, out);
    print_requests(transaction, out);
    if (version >= kConflictsSchemaVersion) {
      print_open_conflicts(transaction, out);
    }
    print_report_marks(transaction, out);
    return 0;
  } catch (const pqxx::broken_connection& error) {
    err << "blink-sync: cannot connect to " << redact_database_url(config.database.url) << ": "
        << describe_database_error(error) << "\n";
    return kExitUnavailable;
  } catch (const pqxx::failure& error) {
    err << "blink-sync: cannot read the blink_sync tables: " << describe_database_error(error) << "\n";
    return kExitUnavailable;
  }
}

}  // namespace blink_sync
