#include "daemon/service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <spdlog/spdlog.h>

#include <atomic>
#include <iostream>
#include <random>
#include <utility>

#include "daemon/blink_client.hpp"
#include "daemon/clock.hpp"
#include "daemon/cycle_delay.hpp"
#include "daemon/config_reload.hpp"
#include "daemon/database_error.hpp"
#include "daemon/housekeeping.hpp"
#include "daemon/http_transport.hpp"
#include "daemon/instance_lock.hpp"
#include "daemon/journal.hpp"
#include "daemon/logging.hpp"
#include "daemon/migrations.hpp"
#include "daemon/report_importer.hpp"
#include "daemon/service_control.hpp"
#include "daemon/store.hpp"
#include "daemon/systemd_notify.hpp"
#include "daemon/throttle.hpp"

namespace blink_sync {

namespace asio = boost::asio;

namespace {

// How long a shutdown waits for the request in flight before closing the
// connection under it.
constexpr auto kShutdownGrace = std::chrono::seconds(30);
// Reconnecting to PostgreSQL backs off from 1 s to at most 60 s.
constexpr auto kFirstReconnectDelay = std::chrono::seconds(1);
constexpr auto kMaxReconnectDelay = std::chrono::seconds(60);
// Settled intents are kept this long, for audits, then deleted at start.
constexpr std::chrono::days kIntentRetention{90};
// How often a daemon checks whether another instance released the lock.
constexpr auto kLockRetryDelay = std::chrono::seconds(10);

TransportOptions transport_options(const BlinkConfig& blink) {
  TransportOptions options;
  options.connect_timeout = blink.connect_timeout;
  options.request_timeout = blink.request_timeout;
  options.ca_file = blink.ca_file;
  options.max_response_bytes = blink.max_response_bytes;
  options.user_agent = std::string("blink-sync/") + BLINK_SYNC_VERSION;
  return options;
}

TokenBucket::Limits throttle_limits(const BlinkConfig& blink) {
  TokenBucket::Limits limits;
  limits.requests_per_window = blink.requests_per_minute;
  limits.burst = blink.burst;
  return limits;
}

int exit_code_of(const CycleReport& report) {
  return report.outcome == RunOutcome::failed ? kExitCycleFailed : kExitSuccess;
}

// Everything one process run needs, built once, torn down in order.
class Runtime {
 public:
  Runtime(const Config& config, const std::string& token, const RunOptions& options)
      : config_(config),
        options_(options),
        token_(token),
        clock_(io_.get_executor()),
        transport_(io_.get_executor(), parse_endpoint(config.blink.base_url), transport_options(config.blink)),
        bucket_(throttle_limits(config.blink), clock_.now()),
        random_(std::random_device{}()),
        client_(transport_, clock_, bucket_, client_options(token)),
        signals_(io_, SIGINT, SIGTERM),
        hangup_(io_, SIGHUP),
        grace_timer_(io_),
        lock_key_(writer_lock_key()) {}

  int run() {
    wait_for_signal();
    wait_for_hangup();
    int exit_code = kExitCannotStart;
    asio::co_spawn(io_, main_task(), [&](std::exception_ptr failure, int code) {
      exit_code = code;
      if (failure) {
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& error) {
          spdlog::critical("service: stopped by an unexpected error: {}", error.what());
          exit_code = kExitCannotStart;
        }
      }
      clock_.stop_waits();
      signals_.cancel();
      hangup_.cancel();
      grace_timer_.cancel();
    });
    io_.run();
    return exit_code;
  }

 private:
  ClientOptions client_options(const std::string& token) {
    RetryPolicy retry{config_.blink.max_attempts, config_.blink.retry_initial_delay, config_.blink.retry_max_delay};
    auto jitter = [this] { return std::uniform_real_distribution<double>(0.5, 1.0)(random_); };
    return ClientOptions{token, retry, jitter, token_source(config_, ConfigEnvironment::from_process())};
  }

  asio::awaitable<int> main_task() {
    auto database = co_await connect_database();
    if (!database) {
      co_return stop_requested_ ? kExitSuccess : kExitCannotStart;
    }
    if (!options_.dry_run && !migrate(*database)) {
      co_return kExitCannotStart;
    }
    if (!options_.dry_run) {
      // Only the holder of the lock may close runs left "running" or write.
      if (!co_await acquire_lock(*database)) {
        co_return stop_requested_ || options_.daemon ? kExitSuccess : kExitLocked;
      }
      close_abandoned_runs(*database);
    }
    if (options_.reports_only) {
      const auto reports = co_await run_report_import(*database, config_.reports.reports);
      co_return reports.succeeded() ? kExitSuccess : kExitCycleFailed;
    }
    if (!options_.daemon) {
      const auto report =
          co_await run_cycle(*database, CycleRequest{options_.mode, options_.dry_run, options_.allowed_removals});
      co_return exit_code_of(report);
    }

    spdlog::info("service: ready poll_interval_s={}", config_.sync.poll_interval.count());
    ServiceControl control(config_.database.url, config_.path);
    control.beat();
    notifier_.ready("started; first cycle now");
    asio::co_spawn(io_,
                   run_housekeeping(clock_, control, [this] { notifier_.watchdog(); }, notifier_.watchdog_period()),
                   asio::detached);
    auto allowed_removals = options_.allowed_removals;
    while (!stop_requested_) {
      apply_pending_config();
      if (!database) {
        database = co_await reconnect();
        if (!database) {
          break;
        }
      }
      const bool ran = co_await run_daemon_cycle(database, control, allowed_removals);
      if (!database) {
        continue;  // lost during the cycle: reconnect and start the next one at once
      }
      if (ran) {
        co_await import_reports_if_due(*database);
      }

      // A skipped cycle waits the whole interval even with a resync request
      // waiting, because the cause (a rejected token) is still there.
      const auto delay = ran ? next_delay_ : Clock::duration(config_.sync.poll_interval);
      const auto next_cycle = clock_.now() + delay;
      control.beat(std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::seconds>(delay));
      if (ran) {
        co_await wait_for_next_cycle(clock_, next_cycle, control);
      } else {
        co_await clock_.sleep_until(next_cycle);
      }
    }
    notifier_.stopping();
    control.clear();
    co_return kExitSuccess;
  }

  // Connects again after the connection was lost, and takes the lock again,
  // since PostgreSQL released it with the old session.
  asio::awaitable<std::unique_ptr<pqxx::connection>> reconnect() {
    auto database = co_await connect_database();
    if (database) {
      // Plain statements: g++ 12 mishandles co_await inside && and ?:.
      const bool locked = co_await acquire_lock(*database);
      if (!locked) {
        database.reset();
      }
    }
    if (database) {
      close_abandoned_runs(*database);
    }
    co_return database;
  }

  // Takes the organisation's lock. A single run gives up at once when
  // another instance holds it; a daemon waits for it, checking every
  // kLockRetryDelay, until it is stopped.
  asio::awaitable<bool> acquire_lock(pqxx::connection& database) {
    try {
      name_connection(database, options_.daemon ? "daemon" : cycle_mode_name(options_.mode));
      InstanceLock lock(database, lock_key_);
      bool reported = false;
      while (!lock.try_acquire()) {
        const auto holder = lock.describe_holder();
        if (!options_.daemon) {
          spdlog::error("service: another blink-sync instance is syncing this Blink organisation: {}; this run "
                        "stops without changing anything. If it is the daemon, run blink-sync --resync to ask it for a "
                        "cycle; otherwise try again when that run has finished",
                        holder);
          co_return false;
        }
        if (!reported) {
          spdlog::warn("service: another blink-sync instance is syncing this Blink organisation: {}; waiting for it "
                       "to stop, checking every {} s",
                       holder, kLockRetryDelay.count());
          // systemd would otherwise stop a start that waits longer than
          // TimeoutStartSec, or WatchdogSec without a ping.
          notifier_.ready("waiting for the organisation lock held by " + holder);
          reported = true;
        }
        notifier_.watchdog();
        if (!co_await clock_.sleep_until(clock_.now() + kLockRetryDelay)) {
          co_return false;
        }
      }
      if (reported) {
        spdlog::info("service: the other instance stopped; this one now syncs the organisation");
      }
      co_return true;
    } catch (const pqxx::failure& error) {
      spdlog::error("database: cannot take the organisation lock: {}", describe_database_error(error));
      co_return false;
    }
  }

  static bool connection_alive(pqxx::connection& database) {
    try {
      pqxx::nontransaction probe(database);
      probe.exec("SELECT 1");
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  // Runs one daemon cycle: the resync requested through the database when
  // there is one, otherwise a poll. Returns false when the token is not
  // usable and no cycle ran. `allowed_removals` (--allow-deletions) is used
  // by the first cycle only.
  asio::awaitable<bool> run_daemon_cycle(std::unique_ptr<pqxx::connection>& database, ServiceControl& control,
                                         std::optional<std::size_t>& allowed_removals) {
    if (!token_usable()) {
      co_return false;
    }
    control.clear_roster_changed();  // a change committed from now on wakes the next wait
    const auto claim = control.claim();
    const auto mode = claim ? CycleMode::resync : CycleMode::poll;
    const auto allowed = claim ? claim->allowed_removals : std::exchange(allowed_removals, std::nullopt);
    const auto report = co_await run_cycle(*database, CycleRequest{mode, false, allowed});
    if (claim) {
      const bool completed =
          report.outcome == RunOutcome::succeeded || report.outcome == RunOutcome::succeeded_with_errors;
      control.finish(*claim, report.run_id, completed);
    }
    if (report.token_rejected) {
      rejected_token_ = token_;
    }
    if (report.outcome == RunOutcome::failed && !connection_alive(*database)) {
      // Reconnect with backoff and start the next cycle at once; what was in
      // flight is settled from the journal.
      spdlog::warn("database: the connection was lost during the cycle; reconnecting");
      database.reset();
    }
    next_delay_ = std::chrono::duration_cast<Clock::duration>(delay_after_cycle(report, config_.sync));
    notifier_.status(describe_cycle(report, std::chrono::duration_cast<std::chrono::seconds>(next_delay_)));
    co_return true;
  }

  // Replaces the configuration with the one a SIGHUP read, between cycles,
  // so one cycle never uses two configurations.
  void apply_pending_config() {
    if (!pending_config_) {
      return;
    }
    config_ = std::move(*pending_config_);
    pending_config_.reset();
    set_log_level(config_.log.level);
    spdlog::info("service: applied the reloaded configuration config={}", config_.path);
  }

  // Re-reads the token before a daemon cycle, so a corrected token file
  // takes effect without a restart. A token Blink rejected is not sent
  // again: every rejection counts towards Blink's lock-out.
  bool token_usable() {
    try {
      token_ = load_token(config_, ConfigEnvironment::from_process());
    } catch (const ConfigError& error) {
      spdlog::error("service: skipping this cycle: {}", one_line(error.what()));
      return false;
    }
    if (token_ != rejected_token_) {
      rejected_token_.clear();
      client_.set_token(token_);
      return true;
    }
    const auto environment = ConfigEnvironment::from_process();
    if (environment.token) {
      spdlog::error("service: skipping this cycle because Blink rejected the API token from the BLINK_SYNC_TOKEN "
                    "environment variable; restart blink-sync with a valid token in it");
    } else {
      spdlog::error("service: skipping this cycle because Blink rejected the API token; put a valid token in {} "
                    "(it is read again before every cycle)",
                    token_source(config_, environment));
    }
    return false;
  }

  // Tidies what earlier processes left: runs still marked running, and
  // settled intents older than kIntentRetention.
  void close_abandoned_runs(pqxx::connection& database) {
    try {
      const auto closed = Store(database).close_abandoned_runs();
      if (closed > 0) {
        spdlog::warn("service: marked {} cycle(s) left running by an earlier process as interrupted", closed);
      }
      const auto deleted = Journal(database).delete_settled_before(kIntentRetention);
      if (deleted > 0) {
        spdlog::info("service: deleted {} settled intent(s) older than {} days from blink_sync.intents", deleted,
                     kIntentRetention.count());
      }
    } catch (const std::exception& error) {
      spdlog::warn("service: cannot close cycles left running: {}", describe_database_error(error));
    }
  }

  // Attendance report import (the reports: section). It runs between
  // cycles, through the same throttled client, so the rate limit holds.
  asio::awaitable<void> import_reports_if_due(pqxx::connection& database) {
    if (!config_.reports.enabled || stop_requested_) {
      co_return;
    }
    std::vector<ReportKind> due;
    try {
      due = ReportStore(database).due_reports(config_.reports.reports, config_.reports.interval);
    } catch (const std::exception& error) {
      spdlog::error("reports: cannot read blink_sync.report_marks: {}", describe_database_error(error));
      co_return;
    }
    if (due.empty()) {
      co_return;
    }
    const auto result = co_await run_report_import(database, due);
    if (result.token_rejected) {
      rejected_token_ = token_;
    }
  }

  asio::awaitable<ReportRunResult> run_report_import(pqxx::connection& database, std::vector<ReportKind> kinds) {
    ReportImporter importer({config_.reports, config_.blink.page_size, database, client_, stop_requested_});
    co_return co_await importer.run(std::chrono::system_clock::now(), kinds);
  }

  asio::awaitable<CycleReport> run_cycle(pqxx::connection& database, CycleRequest request) {
    SyncCycle cycle({config_, database, client_, stop_requested_, std::cout});
    co_return co_await cycle.run(request);
  }

  // Connects to PostgreSQL. A daemon keeps trying with backoff until it
  // succeeds or is stopped; a single run gives up after the first failure.
  asio::awaitable<std::unique_ptr<pqxx::connection>> connect_database() {
    auto delay = std::chrono::duration_cast<Clock::duration>(kFirstReconnectDelay);
    for (int attempt = 1;; ++attempt) {
      try {
        auto connection = std::make_unique<pqxx::connection>(config_.database.url);
        // libpqxx would otherwise reconnect by itself after a lost
        // connection, silently, as a new session without the lock. The
        // call is deprecated in libpqxx 6.4 but is its only way to say so.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        connection->inhibit_reactivation(true);
#pragma GCC diagnostic pop
        co_return connection;
      } catch (const pqxx::broken_connection& error) {
        const auto target = redact_database_url(config_.database.url);
        if (!options_.daemon) {
          spdlog::error("database: cannot connect to {}: {}", target, describe_database_error(error));
          co_return nullptr;
        }
        notifier_.status("waiting for PostgreSQL at " + target);
        spdlog::warn("database: cannot connect to {}: {}; retrying in {} s attempt={}", target,
                     describe_database_error(error),
                     std::chrono::duration_cast<std::chrono::seconds>(delay).count(), attempt);
      }
      if (!co_await clock_.sleep_until(clock_.now() + delay)) {
        co_return nullptr;
      }
      delay = std::min<Clock::duration>(delay * 2, kMaxReconnectDelay);
    }
  }

  bool migrate(pqxx::connection& database) {
    try {
      apply_migrations(database);
      return true;
    } catch (const std::exception& error) {
      spdlog::error("database: cannot apply the blink_sync migrations: {}", describe_database_error(error));
      return false;
    }
  }

  // SIGHUP reopens the log file (after logrotate) and reads the
  // configuration again. A valid one applies from the next cycle; an
  // invalid one is logged and the current one stays.
  void wait_for_hangup() {
    hangup_.async_wait([this](const boost::system::error_code& error, int) {
      if (error) {
        return;
      }
      notifier_.reloading();
      reopen_log_file(config_.log);
      auto reload = reload_config(config_, ConfigEnvironment::from_process());
      log_reload(reload, config_.path);
      if (reload.config) {
        pending_config_ = std::move(reload.config);
      }
      notifier_.ready("configuration reloaded");
      wait_for_hangup();
    });
  }

  // The first SIGTERM or SIGINT lets the request in flight finish; the
  // second, or the end of the grace period, closes the connection under it.
  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& error, int signal) {
      if (error) {
        return;
      }
      if (stop_requested_) {
        spdlog::warn("service: second signal={}; closing the connection to Blink now", signal);
        transport_.close();
        return;
      }
      spdlog::info("service: stopping on signal={}; finishing the request in flight", signal);
      stop_requested_ = true;
      clock_.stop_waits();
      grace_timer_.expires_after(kShutdownGrace);
      grace_timer_.async_wait([this](const boost::system::error_code& timer_error) {
        if (!timer_error) {
          spdlog::warn("service: the request in flight did not finish within {} s; closing the connection",
                       kShutdownGrace.count());
          transport_.close();
        }
      });
      wait_for_signal();
    });
  }

  Config config_;
  std::optional<Config> pending_config_;  // read on SIGHUP, applied before the next cycle
  const RunOptions& options_;
  std::string token_;
  std::string rejected_token_;  // empty until Blink rejects a token
  asio::io_context io_;
  SteadyClock clock_;
  HttpTransport transport_;
  TokenBucket bucket_;
  std::mt19937 random_;
  BlinkClient client_;
  asio::signal_set signals_;
  asio::signal_set hangup_;
  asio::steady_timer grace_timer_;
  std::atomic<bool> stop_requested_{false};
  // Taken from the token at start: a token changed later in the token file
  // keeps the lock the process started with.
  std::int64_t lock_key_;
  Clock::duration next_delay_{};  // until the next daemon cycle, set by run_daemon_cycle
  SystemdNotifier notifier_;
};

}  // namespace

Service::Service(Config config, std::string token, RunOptions options)
    : config_(std::move(config)), token_(std::move(token)), options_(options) {}

int Service::run() {
  Runtime runtime(config_, token_, options_);
  return runtime.run();
}

}  // namespace blink_sync
