#include "daemon/config_check.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

#include "daemon/admin_exit_codes.hpp"
#include "daemon/blink_client.hpp"
#include "daemon/blink_paths.hpp"
#include "daemon/config.hpp"
#include "daemon/database_error.hpp"
#include "daemon/events_config.hpp"
#include "daemon/http_transport.hpp"
#include "daemon/pull_coverage.hpp"
#include "daemon/throttle.hpp"
#include "daemon/write_back_config.hpp"
#include "mapping/event_row.hpp"
#include "mapping/roster_columns.hpp"
#include "mapping/text.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {

namespace asio = boost::asio;

namespace {

struct StepResult {
  int exit_code = 0;
  std::string message;
};

// The problems the database checks found, one line each, and the exit code
// of the first.
struct Findings {
  int exit_code = 0;
  std::vector<std::string> problems;

  void add(int code, std::string problem) {
    if (exit_code == 0) {
      exit_code = code;
    }
    problems.push_back(std::move(problem));
  }
};

// Thrown when the database connection drops, which ends the database checks.
class ConnectionLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// libpq reports a refused login in the text of a broken_connection.
bool is_permission_failure(const std::string& message) {
  return message.find("password authentication failed") != std::string::npos ||
         message.find("permission denied") != std::string::npos ||
         message.find("no pg_hba.conf entry") != std::string::npos;
}

std::vector<std::pair<const char*, const std::string*>> roster_queries(const RosterConfig& roster) {
  return {{"students", &roster.students},
          {"student_logins", &roster.student_logins},
          {"staff", &roster.staff},
          {"staff_students", &roster.staff_students},
          {"login_students", &roster.login_students}};
}

// Runs `query` with LIMIT 0 in a read-only transaction and returns the names
// of its columns, or nullopt after adding the problem under `key`. The query
// ends in a line of its own so a trailing comment cannot swallow the closing
// parenthesis.
std::optional<std::vector<std::string>> check_query(pqxx::connection& connection, const std::string& key,
                                                    const std::string& query, Findings& findings,
                                                    std::ostream& out) {
  try {
    pqxx::read_transaction transaction(connection);
    const auto result = transaction.exec("SELECT * FROM (\n" + query + "\n) AS checked_query LIMIT 0");
    out << key << ": the query runs\n";
    std::vector<std::string> columns;
    for (pqxx::row::size_type column = 0; column < result.columns(); ++column) {
      columns.emplace_back(result.column_name(column));
    }
    return columns;
  } catch (const pqxx::insufficient_privilege& error) {
    findings.add(kExitNoPermission, key + ": " + describe_database_error(error) +
                                        "; grant SELECT on the roster tables to the database user");
  } catch (const pqxx::broken_connection& error) {
    throw ConnectionLost(describe_database_error(error));
  } catch (const pqxx::sql_error& error) {
    findings.add(kExitConfig, key + ": the query is invalid: " + describe_database_error(error));
  }
  return std::nullopt;
}

// Prepares `sql` (positional parameters) in a transaction that is rolled
// back, so a bad column or type mismatch is reported before the daemon runs.
void check_statement(pqxx::connection& connection, const std::string& key, const std::string& sql,
                     Findings& findings, std::ostream& out) {
  try {
    pqxx::work transaction(connection);
    // A prepared statement outlives the transaction, so it is dropped at once.
    transaction.exec("PREPARE blink_sync_statement_check AS\n" + sql);
    transaction.exec("DEALLOCATE blink_sync_statement_check");
    transaction.abort();
    out << key << ": the statement is valid\n";
  } catch (const pqxx::broken_connection& error) {
    throw ConnectionLost(describe_database_error(error));
  } catch (const pqxx::sql_error& error) {
    findings.add(kExitConfig, key + ": the statement is invalid: " + describe_database_error(error));
  }
}

// Translates the named parameters of `sql`, then prepares it. Loading the
// configuration has already rejected a statement that does not translate.
void check_named_statement(pqxx::connection& connection, const std::string& key, const std::string& sql,
                           const std::vector<std::string>& parameters, Findings& findings, std::ostream& out) {
  const auto translated = to_positional(sql, parameters);
  if (const auto* problem = std::get_if<std::string>(&translated)) {
    findings.add(kExitConfig, key + ": " + *problem);
    return;
  }
  check_statement(connection, key, std::get<PositionalStatement>(translated).sql, findings, out);
}

// Returns the columns the roster query named `name` must return.
std::vector<std::string> required_columns(const std::string& name, bool has_default_timezone) {
  if (name == "staff_students") {
    return required_link_columns(LinkKind::staff_students);
  }
  if (name == "login_students") {
    return required_link_columns(LinkKind::login_students);
  }
  const auto entity = name == "students" ? Entity::student
                      : name == "student_logins" ? Entity::student_login
                                                 : Entity::staff;
  return required_record_columns(entity, has_default_timezone);
}

void check_roster_queries(const Config& config, pqxx::connection& connection, Findings& findings,
                          std::ostream& out) {
  for (const auto& [name, query] : roster_queries(config.roster)) {
    const auto key = "roster." + std::string(name);
    const auto columns = check_query(connection, key, *query, findings, out);
    if (!columns) {
      continue;
    }

    const auto required = required_columns(name, config.roster.default_timezone.has_value());
    const auto missing = missing_columns(ColumnSet(*columns), required);
    if (!missing.empty()) {
      findings.add(kExitConfig, key + ": the query returns no column " + join(missing, ", ") +
                                    "; rename its columns with AS to the names in docs/roster-queries.md");
    }
  }
}

void check_write_back(const Config& config, pqxx::connection& connection, Findings& findings, std::ostream& out) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    for (const auto event : kWriteBackEvents) {
      if (const auto* statement = config.write_back.find(entity, event)) {
        check_statement(connection, statement->key, statement->statement.sql, findings, out);
      }
    }
  }
}

// Checks events.query, its columns and the two event write-back statements,
// only when events are enabled, because the daemon runs them only then.
void check_events(const Config& config, pqxx::connection& connection, Findings& findings, std::ostream& out) {
  const auto& events = config.events;
  if (!events.enabled) {
    return;
  }
  if (const auto columns = check_query(connection, "events.query", events.query, findings, out)) {
    const auto missing = missing_event_columns(ColumnSet(*columns), config.roster.default_timezone.has_value());
    if (!missing.empty()) {
      findings.add(kExitConfig, "events.query: the query returns no column " + join(missing, ", ") +
                                    "; rename its columns with AS to the names in docs/roster-queries.md");
    }
  }
  if (events.write_back_status) {
    check_named_statement(connection, "events.write_back_status", *events.write_back_status,
                          status_write_back_parameters(), findings, out);
  }
  if (events.write_back_created) {
    check_named_statement(connection, "events.write_back_created", *events.write_back_created,
                          created_write_back_parameters(), findings, out);
  }
}

void check_blink_only_imports(const Config& config, pqxx::connection& connection, Findings& findings,
                              std::ostream& out) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const auto& statement = config.sync.edits.blink_only[static_cast<std::size_t>(entity)].import_statement;
    if (statement) {
      check_named_statement(connection, "sync.blink_only." + write_back_entity_key(entity) + ".import_statement",
                            *statement, import_parameter_names(entity), findings, out);
    }
  }
}

// Connects, then checks every query and statement of the configuration and
// reports each one that fails, not only the first.
Findings check_database(const Config& config, std::ostream& out) {
  Findings findings;
  const auto target = redact_database_url(config.database.url);
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = std::make_unique<pqxx::connection>(config.database.url);
  } catch (const pqxx::broken_connection& error) {
    const auto message = describe_database_error(error);
    findings.add(is_permission_failure(message) ? kExitNoPermission : kExitUnavailable,
                 "database: cannot connect to " + target + ": " + message);
    return findings;
  }
  out << "database: connected to " << target << "\n";

  try {
    check_roster_queries(config, *connection, findings, out);
    check_write_back(config, *connection, findings, out);
    check_events(config, *connection, findings, out);
    check_blink_only_imports(config, *connection, findings, out);
  } catch (const ConnectionLost& error) {
    findings.add(kExitUnavailable, std::string("database: the connection was lost: ") + error.what());
  }
  return findings;
}

asio::awaitable<StepResult> get_one_student(BlinkClient& client) {
  try {
    const auto result = co_await client.call(boost::beast::http::verb::get, list_target(Entity::student, 1, 1));
    if (result.ok() || result.status == 404) {
      co_return StepResult{0, "blink: the token works (GET students status=" + std::to_string(result.status) + ")"};
    }
    if (result.status == 403) {
      co_return StepResult{kExitNoPermission, "blink: the token may not read students (status=403): " + result.message};
    }
    if (result.status == 0) {
      co_return StepResult{kExitUnavailable, "blink: no response: " + result.message};
    }
    co_return StepResult{kExitUnavailable,
                         "blink: GET students failed status=" + std::to_string(result.status) + ": " + result.message};
  } catch (const AuthenticationFailed& error) {
    co_return StepResult{kExitNoPermission, std::string("blink: the token was rejected (status=401): ") + error.what()};
  }
}

StepResult check_blink(const Config& config, const std::string& token, const std::string& source) {
  asio::io_context io;
  SteadyClock clock(io.get_executor());
  TransportOptions transport_options;
  transport_options.connect_timeout = config.blink.connect_timeout;
  transport_options.request_timeout = config.blink.request_timeout;
  transport_options.ca_file = config.blink.ca_file;
  transport_options.max_response_bytes = config.blink.max_response_bytes;
  transport_options.user_agent = std::string("blink-sync/") + BLINK_SYNC_VERSION;
  HttpTransport transport(io.get_executor(), parse_endpoint(config.blink.base_url), transport_options);
  TokenBucket bucket(TokenBucket::Limits{config.blink.requests_per_minute, config.blink.burst}, clock.now());
  // Two attempts at most, so a check returns quickly instead of waiting out an outage.
  RetryPolicy retry{std::min(config.blink.max_attempts, 2), config.blink.retry_initial_delay,
                    config.blink.retry_max_delay};
  BlinkClient client(transport, clock, bucket, ClientOptions{token, retry, [] { return 1.0; }, source});

  StepResult result;
  asio::co_spawn(io, get_one_student(client), [&](std::exception_ptr failure, StepResult step) {
    result = std::move(step);
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& error) {
        result = {kExitUnavailable, std::string("blink: the check failed: ") + error.what()};
      }
    }
  });
  io.run();
  return result;
}

}  // namespace

int check_configuration(const std::string& config_path, std::ostream& out, std::ostream& err) {
  const auto environment = ConfigEnvironment::from_process();
  Config config;
  std::string token;
  try {
    config = load_config(config_path, environment);
    token = load_token(config, environment);
  } catch (const ConfigError& error) {
    for (const auto& problem : error.problems()) {
      err << "blink-sync: " << problem << "\n";
    }
    return kExitConfig;
  }
  out << config_path << ": configuration is valid\n";
  for (const auto& warning : pull_coverage_warnings(config)) {
    out << "warning: " << warning << "\n";
  }

  const auto database = check_database(config, out);
  for (const auto& problem : database.problems) {
    err << "blink-sync: " << problem << "\n";
  }
  if (database.exit_code != 0) {
    return database.exit_code;
  }
  const auto blink = check_blink(config, token, token_source(config, environment));
  if (blink.exit_code != 0) {
    err << "blink-sync: " << blink.message << "\n";
    return blink.exit_code;
  }
  out << blink.message << "\n";
  return 0;
}

}  // namespace blink_sync
