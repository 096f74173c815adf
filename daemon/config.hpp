#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/blink_edits_config.hpp"
#include "daemon/reports_config.hpp"
#include "daemon/write_back_config.hpp"
#include "daemon/events_config.hpp"
#include "mapping/plan.hpp"

namespace blink_sync {

struct DatabaseConfig {
  std::string url;  // libpq connection URI or key=value string; may hold a password
};

struct BlinkConfig {
  std::string base_url = "https://api.blinksession.com/v1";
  std::optional<std::string> token_file;
  // Name of a systemd credential (LoadCredential=) holding the token, read
  // from $CREDENTIALS_DIRECTORY/<name>. Outside systemd, where that variable
  // is unset, token_file is read instead.
  std::optional<std::string> token_credential;
  std::optional<std::string> ca_file;  // PEM bundle; the system store when unset
  int requests_per_minute = 60;
  int burst = 1;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds request_timeout{60};
  int max_attempts = 5;
  std::chrono::milliseconds retry_initial_delay{1000};
  std::chrono::milliseconds retry_max_delay{60000};
  std::size_t max_response_bytes = 64U * 1024U * 1024U;
  int page_size = 500;
};

struct SyncConfig {
  std::chrono::seconds poll_interval{300};
  LeavePolicy students_removed = LeavePolicy::discharge;
  LeavePolicy student_logins_removed = LeavePolicy::remove;
  LeavePolicy staff_removed = LeavePolicy::remove;
  bool keep_unmanaged_links = true;
  // A create that got no response at all is not created again until this
  // long after it was sent, even when a lookup does not find it: Blink may
  // still have been working on it. A create that got any response is
  // settled by the first lookup.
  std::chrono::seconds in_doubt_settle{120};
  // A cycle whose roster has not changed since the last sync sends nothing
  // and does not read Blink, unless Blink was last read this long ago. 0
  // reads Blink every cycle.
  std::chrono::seconds reconcile_interval{3600};
  // Between full reads, read only the records changed since the last read
  // (newest updated_at first), when the plan allows it.
  bool incremental_reads = true;
  // The removal guard: a cycle holds an entity's discharges and deletions
  // when they are more than max_removal_percent of its mapped records and
  // at least min_removals_held, and every removal when there are more than
  // max_removals in all.
  int max_removal_percent = 10;
  std::size_t min_removals_held = 5;
  std::size_t max_removals = 500;
  // Edits made in Blink (field_owners, conflict_policy) and records that
  // exist only in Blink (blink_only).
  BlinkEditsConfig edits;
};

enum class LogFormat { text, json };

// The rotation of log.file: by the daemon by size, or by an external tool such as
// logrotate, after which SIGHUP makes the daemon reopen the file.
enum class LogRotation { size, external };

struct LogConfig {
  std::optional<std::string> file;  // stderr only when unset
  std::string level = "info";
  LogFormat format = LogFormat::text;
  LogRotation rotation = LogRotation::size;
  std::size_t max_size_mb = 10;
  std::size_t max_files = 5;
};

struct RosterConfig {
  std::optional<std::string> default_timezone;
  std::string students;
  std::string student_logins;
  std::string staff;
  std::string staff_students;
  std::string login_students;
  // Tables ("schema.table") whose changes wake the daemon at once, once
  // blink-sync install-triggers has put a trigger on them.
  std::vector<std::string> watch_tables;
};

// The validated configuration. The API token is not part of it: it is read
// by load_token() and kept apart so a Config can be logged or printed.
struct Config {
  std::string path;
  DatabaseConfig database;
  BlinkConfig blink;
  SyncConfig sync;
  LogConfig log;
  RosterConfig roster;
  ReportsConfig reports;  // the attendance report import
  // Statements run in the roster after a record is created, adopted,
  // changed in Blink or removed (daemon/write_back.hpp).
  WriteBackConfig write_back;
  EventsConfig events;  // appointments; off unless events.enabled
};

// Every problem found in a configuration file, one line each, naming the
// key's path, the value where it is not secret, and what is expected.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Environment variables that override the file, as operators expect.
struct ConfigEnvironment {
  std::optional<std::string> database_url;  // BLINK_SYNC_DATABASE_URL
  std::optional<std::string> base_url;      // BLINK_SYNC_BASE_URL
  std::optional<std::string> token;         // BLINK_SYNC_TOKEN
  std::optional<std::string> credentials_directory;  // CREDENTIALS_DIRECTORY, set by systemd

  static ConfigEnvironment from_process();
};

// Reads and validates a YAML configuration file. Unknown keys, wrong types,
// out-of-range values and missing required keys are all collected and
// thrown together as one ConfigError.
Config load_config(const std::string& path, const ConfigEnvironment& environment);

// Parses YAML text the same way; `path` is only used in messages.
Config parse_config(const std::string& text, const std::string& path,
                    const ConfigEnvironment& environment);

// Reads the API token: BLINK_SYNC_TOKEN when set, otherwise the first line
// of $CREDENTIALS_DIRECTORY/<blink.token_credential> or of
// blink.token_file, with surrounding white space removed. Throws
// ConfigError when neither gives a token. Never includes the token in a
// message.
std::string load_token(const Config& config, const ConfigEnvironment& environment);

// Names where load_token() reads the API token, for messages: the
// BLINK_SYNC_TOKEN environment variable, or blink.token_credential or
// blink.token_file with the file's path. Never the token itself.
std::string token_source(const Config& config, const ConfigEnvironment& environment);

// Returns a warning when the token comes from a file that users other than
// its owner may read, or nullopt.
std::optional<std::string> token_file_warning(const Config& config, const ConfigEnvironment& environment);

// Returns a database URL or key=value string with any password replaced by
// "***", for logs and messages.
std::string redact_database_url(const std::string& url);

}  // namespace blink_sync
