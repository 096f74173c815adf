#include "daemon/config_check.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include <random>

#include "daemon/admin_exit_codes.hpp"
#include "daemon/blink_client.hpp"
#include "daemon/blink_paths.hpp"
#include "daemon/config.hpp"
#include "daemon/database_error.hpp"
#include "daemon/http_transport.hpp"
#include "daemon/pull_coverage.hpp"
#include "daemon/throttle.hpp"
#include "mapping/text.hpp"

namespace blink_sync {

namespace asio = boost::asio;

namespace {

struct StepResult {
  int exit_code = 0;
  std::string message;
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

// Prepares each write-back statement in a transaction that is rolled back,
// so a bad column or type mismatch is reported before the daemon runs.
// Every invalid statement is reported, one line each.
StepResult check_write_back(const Config& config, pqxx::connection& connection, std::ostream& out) {
  std::vector<std::string> problems;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    for (const auto event : kWriteBackEvents) {
      const auto* statement = config.write_back.find(entity, event);
      if (statement == nullptr) {
        continue;
      }
      try {
        pqxx::work transaction(connection);
        // A prepared statement outlives the transaction, so it is dropped at once.
        transaction.exec("PREPARE blink_sync_write_back_check AS\n" + statement->statement.sql);
        transaction.exec("DEALLOCATE blink_sync_write_back_check");
        transaction.abort();
        out << statement->key << ": the statement is valid\n";
      } catch (const pqxx::broken_connection& error) {
        return {kExitUnavailable, "database: the connection was lost: " + describe_database_error(error)};
      } catch (const pqxx::sql_error& error) {
        problems.push_back(statement->key + ": the statement is invalid: " + describe_database_error(error));
      }
    }
  }
  if (problems.empty()) {
    return {};
  }
  return {kExitConfig, join(problems, "\nblink-sync: ")};
}

StepResult check_database(const Config& config, std::ostream& out) {
  const auto target = redact_database_url(config.database.url);
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = std::make_unique<pqxx::connection>(config.database.url);
  } catch (const pqxx::broken_connection& error) {
    const auto message = describe_database_error(error);
    return {is_permission_failure(message) ? kExitNoPermission : kExitUnavailable,
            "database: cannot connect to " + target + ": " + message};
  }
  out << "database: connected to " << target << "\n";

  // The queries end in a line of their own so a trailing comment cannot
  // swallow the closing parenthesis.
  for (const auto& [key, query] : roster_queries(config.roster)) {
    try {
      pqxx::read_transaction transaction(*connection);
      transaction.exec("SELECT * FROM (\n" + *query + "\n) AS roster_query LIMIT 0");
    } catch (const pqxx::insufficient_privilege& error) {
      return {kExitNoPermission, "roster." + std::string(key) + ": " + describe_database_error(error) +
                                     "; grant SELECT on the roster tables to the database user"};
    } catch (const pqxx::broken_connection& error) {
      return {kExitUnavailable, "database: the connection was lost: " + describe_database_error(error)};
    } catch (const pqxx::sql_error& error) {
      return {kExitConfig, "roster." + std::string(key) + ": the query is invalid: " + describe_database_error(error)};
    }
    out << "roster." << key << ": the query runs\n";
  }
  return check_write_back(config, *connection, out);
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
    co_return StepResult{kExitNoPermission, std::string("blink: the token was rejected (status=401): ") + error.what() +
                                                "; put the organisation's current API token in place"};
  }
}

StepResult check_blink(const Config& config, const std::string& token) {
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
  BlinkClient client(transport, clock, bucket, ClientOptions{token, retry, [] { return 1.0; }});

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

  if (const auto database = check_database(config, out); database.exit_code != 0) {
    err << "blink-sync: " << database.message << "\n";
    return database.exit_code;
  }
  const auto blink = check_blink(config, token);
  if (blink.exit_code != 0) {
    err << "blink-sync: " << blink.message << "\n";
    return blink.exit_code;
  }
  out << blink.message << "\n";
  return 0;
}

}  // namespace blink_sync
