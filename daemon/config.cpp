#include "daemon/config.hpp"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "daemon/blink_edits_config_reader.hpp"
#include "daemon/config_reader.hpp"
#include "daemon/timezone.hpp"
#include "daemon/url.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

std::optional<std::string> environment_variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return std::string(value);
}

LeavePolicy read_leave_policy(ConfigReader& reader, const YAML::Node& node, const std::string& key,
                              LeavePolicy fallback, bool allow_discharge) {
  std::vector<std::string> choices = {"delete", "keep"};
  if (allow_discharge) {
    choices.insert(choices.begin(), "discharge");
  }
  const auto fallback_name = fallback == LeavePolicy::discharge ? "discharge"
                             : fallback == LeavePolicy::remove  ? "delete"
                                                                : "keep";
  const auto value = reader.choice(node, key, choices, fallback_name);
  if (value == "discharge") {
    return LeavePolicy::discharge;
  }
  return value == "delete" ? LeavePolicy::remove : LeavePolicy::keep;
}

void read_database(ConfigReader& reader, const YAML::Node& root, const ConfigEnvironment& environment,
                   Config& config) {
  const auto node = reader.section(root, "database", {"url"});
  if (environment.database_url) {
    reader.optional_text(node, "url");
    config.database.url = *environment.database_url;
    return;
  }
  config.database.url = reader.required_text(node, "url", /*secret=*/true);
}

void read_blink(ConfigReader& reader, const YAML::Node& root, const ConfigEnvironment& environment,
                Config& config) {
  auto& blink = config.blink;
  const auto node = reader.section(
      root, "blink",
      {"base_url", "token_file", "token_credential", "ca_file", "requests_per_minute", "burst", "connect_timeout_seconds",
       "request_timeout_seconds", "max_attempts", "retry_initial_delay_ms", "retry_max_delay_ms",
       "max_response_mb", "page_size"});

  blink.base_url = reader.optional_text(node, "base_url").value_or(blink.base_url);
  if (environment.base_url) {
    blink.base_url = *environment.base_url;
  }
  if (const auto problem = check_base_url(blink.base_url)) {
    reader.problem("blink.base_url", *problem);
  }
  blink.token_file = reader.optional_text(node, "token_file");
  blink.token_credential = reader.optional_text(node, "token_credential");
  if (blink.token_credential && blink.token_credential->find('/') != std::string::npos) {
    reader.problem("blink.token_credential", "expected a credential name without \"/\", got \"" +
                                                 *blink.token_credential + "\"");
  }
  blink.ca_file = reader.optional_text(node, "ca_file");

  blink.requests_per_minute = reader.integer(node, "requests_per_minute", blink.requests_per_minute, 1, 100000);
  blink.burst = reader.integer(node, "burst", blink.burst, 1, 100000);
  if (blink.burst >= blink.requests_per_minute && blink.requests_per_minute > 1) {
    reader.problem("blink.burst", "must be smaller than blink.requests_per_minute (" +
                                      std::to_string(blink.requests_per_minute) +
                                      "), because burst + rate x 60 s may not pass the limit");
  }
  blink.connect_timeout = std::chrono::seconds(reader.integer(node, "connect_timeout_seconds", 10, 1, 600));
  blink.request_timeout = std::chrono::seconds(reader.integer(node, "request_timeout_seconds", 60, 1, 3600));
  blink.max_attempts = reader.integer(node, "max_attempts", blink.max_attempts, 1, 20);
  blink.retry_initial_delay =
      std::chrono::milliseconds(reader.integer(node, "retry_initial_delay_ms", 1000, 1, 600000));
  blink.retry_max_delay =
      std::chrono::milliseconds(reader.integer(node, "retry_max_delay_ms", 60000, 1, 3600000));
  blink.max_response_bytes =
      static_cast<std::size_t>(reader.integer(node, "max_response_mb", 64, 1, 4096)) * 1024U * 1024U;
  blink.page_size = reader.integer(node, "page_size", blink.page_size, 1, 500);
}

// Returns true for "table" or "schema.table" in plain identifiers.
bool is_table_name(const std::string& name) {
  static const std::regex pattern(R"(([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*)");
  return std::regex_match(name, pattern);
}

void read_sync(ConfigReader& reader, const YAML::Node& root, Config& config) {
  auto& sync = config.sync;
  const auto node = reader.section(root, "sync",
                                   {"poll_interval_seconds", "students_removed", "student_logins_removed",
                                    "staff_removed", "keep_unmanaged_links", "in_doubt_settle_seconds",
                                    "reconcile_interval_seconds", "incremental_reads", "max_removal_percent",
                                    "min_removals_held", "max_removals", "field_owners", "conflict_policy",
                                    "blink_only"});
  sync.poll_interval = std::chrono::seconds(reader.integer(node, "poll_interval_seconds", 300, 1, 86400));
  sync.students_removed = read_leave_policy(reader, node, "students_removed", sync.students_removed, true);
  sync.student_logins_removed =
      read_leave_policy(reader, node, "student_logins_removed", sync.student_logins_removed, false);
  sync.staff_removed = read_leave_policy(reader, node, "staff_removed", sync.staff_removed, false);
  sync.keep_unmanaged_links = reader.boolean(node, "keep_unmanaged_links", sync.keep_unmanaged_links);
  sync.in_doubt_settle = std::chrono::seconds(reader.integer(node, "in_doubt_settle_seconds", 120, 0, 86400));
  sync.reconcile_interval =
      std::chrono::seconds(reader.integer(node, "reconcile_interval_seconds", 3600, 0, 7 * 86400));
  sync.incremental_reads = reader.boolean(node, "incremental_reads", sync.incremental_reads);
  sync.max_removal_percent = reader.integer(node, "max_removal_percent", sync.max_removal_percent, 0, 100);
  sync.min_removals_held = static_cast<std::size_t>(reader.integer(node, "min_removals_held", 5, 1, 1000000));
  sync.max_removals = static_cast<std::size_t>(reader.integer(node, "max_removals", 500, 0, 1000000));
  read_blink_edits(reader, node, sync.edits);
}

void read_log(ConfigReader& reader, const YAML::Node& root, Config& config) {
  auto& log = config.log;
  const auto node =
      reader.section(root, "log", {"file", "level", "format", "rotation", "max_size_mb", "max_files"});
  log.file = reader.optional_text(node, "file");
  log.level = reader.choice(node, "level", {"trace", "debug", "info", "warn", "error"}, log.level);
  log.format = reader.choice(node, "format", {"text", "json"}, "text") == "json" ? LogFormat::json : LogFormat::text;
  log.rotation =
      reader.choice(node, "rotation", {"size", "external"}, "size") == "external" ? LogRotation::external
                                                                                  : LogRotation::size;
  log.max_size_mb = static_cast<std::size_t>(reader.integer(node, "max_size_mb", 10, 1, 10240));
  log.max_files = static_cast<std::size_t>(reader.integer(node, "max_files", 5, 1, 1000));
}

void read_roster(ConfigReader& reader, const YAML::Node& root, Config& config) {
  auto& roster = config.roster;
  const auto node = reader.section(root, "roster",
                                   {"default_timezone", "students", "student_logins", "staff",
                                    "staff_students", "login_students", "watch_tables"});
  roster.default_timezone = reader.optional_text(node, "default_timezone");
  if (roster.default_timezone && !is_known_timezone(*roster.default_timezone)) {
    reader.problem("roster.default_timezone",
                   "\"" + *roster.default_timezone + "\" is not a time zone name the tz database knows "
                   "(such as America/Denver)");
  }
  roster.students = reader.required_text(node, "students");
  roster.student_logins = reader.required_text(node, "student_logins");
  roster.staff = reader.required_text(node, "staff");
  roster.staff_students = reader.required_text(node, "staff_students");
  roster.watch_tables = reader.text_list(node, "watch_tables");
  for (const auto& table : roster.watch_tables) {
    if (!is_table_name(table)) {
      reader.problem("roster.watch_tables", "\"" + table + "\" is not a table name such as roster.pupils "
                     "(letters, digits and underscores, with an optional schema before a dot)");
    }
  }
  roster.login_students = reader.required_text(node, "login_students");
}

Config read_config(const YAML::Node& root, const std::string& path, const ConfigEnvironment& environment) {
  ConfigReader reader(path);
  if (!root.IsMap()) {
    reader.problem("(top level)", "expected a mapping of sections (database, blink, sync, log, roster)");
    throw ConfigError(reader.problems());
  }
  reader.check_repeated_keys(root);
  reader.check_keys(root, "", {"database", "blink", "sync", "log", "roster", "reports", "write_back", "events"});

  Config config;
  config.path = path;
  read_database(reader, root, environment, config);
  read_blink(reader, root, environment, config);
  read_sync(reader, root, config);
  read_log(reader, root, config);
  read_roster(reader, root, config);
  read_reports_config(reader, root, config.reports);
  config.write_back = read_write_back(reader, root);
  read_events_config(reader, root, config.events);

  if (!reader.problems().empty()) {
    throw ConfigError(reader.problems());
  }
  return config;
}

// Returns the file that contains the token: the systemd credential when
// blink.token_credential is set and systemd passed credentials, otherwise
// blink.token_file, so an administrator's shell can use the same file.
std::string token_file_path(const Config& config, const ConfigEnvironment& environment) {
  if (config.blink.token_credential && environment.credentials_directory) {
    return *environment.credentials_directory + "/" + *config.blink.token_credential;
  }
  if (config.blink.token_credential && !config.blink.token_file) {
    throw ConfigError({config.path + ": blink.token_credential: CREDENTIALS_DIRECTORY is not set; run "
                                     "blink-sync under systemd with LoadCredential=" +
                       *config.blink.token_credential + ":<file>, or also set blink.token_file"});
  }
  if (!config.blink.token_file) {
    throw ConfigError({config.path + ": no API token: set blink.token_file, blink.token_credential or the "
                                     "BLINK_SYNC_TOKEN environment variable"});
  }
  return *config.blink.token_file;
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join(problems, "\n")), problems_(std::move(problems)) {}

ConfigEnvironment ConfigEnvironment::from_process() {
  return ConfigEnvironment{environment_variable("BLINK_SYNC_DATABASE_URL"),
                           environment_variable("BLINK_SYNC_BASE_URL"),
                           environment_variable("BLINK_SYNC_TOKEN"),
                           environment_variable("CREDENTIALS_DIRECTORY")};
}

Config load_config(const std::string& path, const ConfigEnvironment& environment) {
  std::ifstream file(path);
  if (!file) {
    throw ConfigError({path + ": cannot open the configuration file; check the path and its permissions"});
  }
  std::stringstream text;
  text << file.rdbuf();
  return parse_config(text.str(), path, environment);
}

Config parse_config(const std::string& text, const std::string& path, const ConfigEnvironment& environment) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw ConfigError({path + ":" + std::to_string(error.mark.line + 1) + ":" +
                       std::to_string(error.mark.column + 1) + ": invalid YAML: " + error.msg});
  }
  return read_config(root, path, environment);
}

std::string load_token(const Config& config, const ConfigEnvironment& environment) {
  if (environment.token) {
    return *environment.token;
  }
  const auto token_path = token_file_path(config, environment);
  std::ifstream file(token_path);
  std::string token;
  // An empty file fails getline without being unreadable, so only `bad`
  // (a read error) counts as unreadable here; the emptiness check follows.
  const auto key = config.blink.token_credential && environment.credentials_directory ? "blink.token_credential"
                                                                                    : "blink.token_file";
  if (!file || (!std::getline(file, token) && file.bad())) {
    throw ConfigError({config.path + ": " + key + ": cannot read \"" + token_path +
                       "\"; check that it exists and that the service user may read it"});
  }
  const auto first = token.find_first_not_of(" \t\r\n");
  const auto last = token.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) {
    throw ConfigError({config.path + ": " + key + ": \"" + token_path +
                       "\" is empty; put the organisation's API token on its first line"});
  }
  return token.substr(first, last - first + 1);
}

std::string token_source(const Config& config, const ConfigEnvironment& environment) {
  if (environment.token) {
    return "the BLINK_SYNC_TOKEN environment variable";
  }
  if (config.blink.token_credential && environment.credentials_directory) {
    return "blink.token_credential (\"" + *environment.credentials_directory + "/" + *config.blink.token_credential +
           "\")";
  }
  if (config.blink.token_file) {
    return "blink.token_file (\"" + *config.blink.token_file + "\")";
  }
  return "blink.token_file";
}

std::optional<std::string> token_file_warning(const Config& config, const ConfigEnvironment& environment) {
  if (environment.token || !config.blink.token_file) {
    return std::nullopt;
  }
  struct stat status {};
  if (::stat(config.blink.token_file->c_str(), &status) != 0 || (status.st_mode & (S_IRWXG | S_IRWXO)) == 0) {
    return std::nullopt;
  }
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
  return "blink.token_file \"" + *config.blink.token_file + "\" has mode " + mode +
         ", so other users may read the API token; run chmod 600 on it";
}

std::string redact_database_url(const std::string& url) {
  static const std::regex uri_password(R"(^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^@]*@)");
  static const std::regex keyword_password(R"((^|\s)password\s*=\s*('([^'\\]|\\.)*'|\S+))");
  auto redacted = std::regex_replace(url, uri_password, "$1:***@");
  redacted = std::regex_replace(redacted, keyword_password, "$1password=***");
  static const std::regex query_password(R"(([?&]password=)[^&]*)");
  return std::regex_replace(redacted, query_password, "$1***");
}

}  // namespace blink_sync
