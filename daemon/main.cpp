// blink-sync: keeps a school's or clinic's PostgreSQL roster and its Blink
// Lesson organisation in agreement. This file only reads the command line and
// the configuration; the work is in Service.

#include <CLI/CLI.hpp>
#include <pqxx/connection>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <iostream>

#include "daemon/admin_exit_codes.hpp"
#include "daemon/config.hpp"
#include "daemon/config_check.hpp"
#include "daemon/database_error.hpp"
#include "daemon/logging.hpp"
#include "daemon/pull_coverage.hpp"
#include "daemon/resync_request.hpp"
#include "daemon/roster_triggers.hpp"
#include "daemon/service.hpp"
#include "daemon/status_report.hpp"

namespace {

using blink_sync::CycleMode;

struct CommandLine {
  std::string config_path;
  bool once = false;
  bool resync = false;
  bool dry_run = false;
  bool check_config = false;
  bool status = false;
  bool install_triggers = false;
  bool remove_triggers = false;
  bool import_reports = false;
  std::optional<std::size_t> allow_deletions;
};

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success (record errors, if any, are in the log and blink_sync.record_errors)\n"
    "  1  --once, --resync or --dry-run: the cycle failed as a whole\n"
    "  2  invalid command line or configuration\n"
    "  3  cannot start: database, migrations or log file\n"
    "  75 --once or --resync: another blink-sync instance is syncing the same Blink organisation; try again later\n"
    "check-config and status (from sysexits.h), and --resync while the daemon runs:\n"
    "  69 PostgreSQL or Blink cannot be reached, or the daemon did not accept the resync request\n"
    "  77 Blink rejected the token, or PostgreSQL denied access\n"
    "  78 invalid configuration or roster query\n"
    "\n"
    "Environment: BLINK_SYNC_DATABASE_URL, BLINK_SYNC_BASE_URL and BLINK_SYNC_TOKEN\n"
    "override database.url, blink.base_url and blink.token_file. Under systemd, CREDENTIALS_DIRECTORY\n"
    "is where blink.token_credential is read.";

void describe_options(CLI::App& app, CommandLine& line) {
  app.add_option("-c,--config", line.config_path, "Configuration file (YAML); see config.example.yaml")
      ->required()
      ->check(CLI::ExistingFile);
  auto* once = app.add_flag("--once", line.once, "Run one sync cycle and exit, instead of running as a daemon");
  auto* resync = app.add_flag("--resync", line.resync,
                              "Run one full cycle that compares every record with Blink itself, ignoring the "
                              "last-synced copy, and re-sends every difference. When the daemon runs, ask it to "
                              "run that cycle next and return once it accepts; otherwise run it here and exit");
  once->excludes(resync);
  app.add_flag("--dry-run", line.dry_run,
               "Print the plan of one cycle (what would be created, updated, linked, discharged, deleted) and "
               "exit; changes nothing in Blink or the database. Combine with --resync to plan a resync");
  app.add_flag("--check-config", line.check_config, "The same as the check-config command");
  app.add_option("--allow-deletions", line.allow_deletions,
                 "Let this many discharges and deletions through that the removal guard holds "
                 "(sync.max_removal_percent, sync.max_removals), in the first cycle only. With --resync it "
                 "goes to the running daemon with the request")
      ->check(CLI::NonNegativeNumber);
  app.add_subcommand("check-config",
                     "Validate the configuration, connect to PostgreSQL, run each roster query with LIMIT 0, "
                     "and send one GET to Blink to prove the token; exit 0, 69, 77 or 78")
      ->callback([&line] { line.check_config = true; });
  app.add_subcommand("status",
                     "Print whether the daemon runs, its next cycle, the last runs, the records in error and "
                     "the resync requests not yet started, from the blink_sync tables")
      ->callback([&line] { line.status = true; });
  app.add_subcommand("install-triggers",
                     "Put a trigger on each table of roster.watch_tables that wakes the daemon when the table "
                     "changes, so a committed change reaches Blink within seconds")
      ->callback([&line] { line.install_triggers = true; });
  app.add_subcommand("remove-triggers", "Remove the triggers that install-triggers put on roster.watch_tables")
      ->callback([&line] { line.remove_triggers = true; });
  app.add_subcommand("import-reports",
                     "Import Blink's attendance reports (the reports: section) once, now, whatever "
                     "reports.interval_hours says, and exit; exit 0, or 1 when a report's import failed")
      ->callback([&line] { line.import_reports = true; });
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.set_version_flag("--version", BLINK_SYNC_VERSION);
  app.footer(kExitCodes);
}

// Installs or removes the roster change triggers. Exit codes as for
// check-config: kExitConfig when no table is listed, kExitUnavailable when
// PostgreSQL fails.
int change_triggers(const blink_sync::Config& config, bool install) {
  if (config.roster.watch_tables.empty()) {
    std::cerr << "blink-sync: roster.watch_tables lists no table; add the roster tables your queries read, "
                 "such as roster.pupils\n";
    return blink_sync::kExitConfig;
  }
  try {
    pqxx::connection connection(config.database.url);
    if (install) {
      blink_sync::install_roster_triggers(connection, config.roster.watch_tables, std::cout);
    } else {
      blink_sync::remove_roster_triggers(connection, config.roster.watch_tables, std::cout);
    }
    return blink_sync::kExitSuccess;
  } catch (const std::exception& error) {
    std::cerr << "blink-sync: cannot " << (install ? "install" : "remove") << " the roster triggers: "
              << blink_sync::describe_database_error(error)
              << "; check the table names and that the database user may create triggers on them\n";
    return blink_sync::kExitUnavailable;
  }
}

blink_sync::RunOptions run_options(const CommandLine& line) {
  blink_sync::RunOptions options;
  options.daemon = !line.once && !line.resync && !line.dry_run;
  options.mode = line.resync ? CycleMode::resync : (line.once ? CycleMode::once : CycleMode::poll);
  options.dry_run = line.dry_run;
  options.allowed_removals = line.allow_deletions;
  if (line.import_reports) {
    options.daemon = false;
    options.reports_only = true;
  }
  return options;
}

std::string_view mode_label(const blink_sync::RunOptions& options) {
  if (options.dry_run) {
    return "dry-run";
  }
  if (options.reports_only) {
    return "import-reports";
  }
  return options.daemon ? "daemon" : blink_sync::cycle_mode_name(options.mode);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"blink-sync: keeps a PostgreSQL roster and a Blink Lesson organisation in agreement"};
  CommandLine line;
  describe_options(app, line);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here too, with exit code 0.
    return app.exit(error) == 0 ? blink_sync::kExitSuccess : blink_sync::kExitUsage;
  }

  blink_sync::setup_console_logging();
  if (line.check_config) {
    return blink_sync::check_configuration(line.config_path, std::cout, std::cerr);
  }
  const auto environment = blink_sync::ConfigEnvironment::from_process();
  blink_sync::Config config;
  std::string token;
  try {
    config = blink_sync::load_config(line.config_path, environment);
    if (line.status) {
      return blink_sync::print_status(config, std::cout, std::cerr);
    }
    if (line.install_triggers || line.remove_triggers) {
      return change_triggers(config, line.install_triggers);
    }
    if (line.import_reports && (line.once || line.resync || line.dry_run || line.allow_deletions)) {
      std::cerr << "blink-sync: import-reports runs no sync cycle, so it takes none of --once, --resync, "
                   "--dry-run and --allow-deletions; run them separately\n";
      return blink_sync::kExitUsage;
    }
    if (line.import_reports && !config.reports.enabled) {
      std::cerr << "blink-sync: reports.enabled is false in " << config.path
                << "; set it to true with reports.timezone and reports.start_date to import the reports\n";
      return blink_sync::kExitUsage;
    }
    token = blink_sync::load_token(config, environment);
  } catch (const blink_sync::ConfigError& error) {
    for (const auto& problem : error.problems()) {
      std::cerr << "blink-sync: " << problem << "\n";
    }
    return blink_sync::kExitUsage;
  }
  if (line.resync && !line.dry_run) {
    const auto route = blink_sync::request_resync(config, line.allow_deletions, std::cout, std::cerr);
    if (route == blink_sync::ResyncRoute::accepted) {
      return blink_sync::kExitSuccess;
    }
    if (route == blink_sync::ResyncRoute::not_accepted) {
      return blink_sync::kExitUnavailable;
    }
  }

  try {
    blink_sync::setup_logging(config.log);
  } catch (const std::exception& error) {
    std::cerr << "blink-sync: " << error.what() << "\n";
    return blink_sync::kExitCannotStart;
  }

  const auto options = run_options(line);
  // --once, --dry-run and --resync may share the daemon's log file, so the
  // start and stop lines name the mode and the process.
  spdlog::info("service: starting version={} config={} mode={} pid={}", BLINK_SYNC_VERSION, config.path,
               mode_label(options), ::getpid());
  if (const auto warning = blink_sync::token_file_warning(config, environment)) {
    spdlog::warn("service: {}", *warning);
  }
  for (const auto& warning : blink_sync::pull_coverage_warnings(config)) {
    spdlog::warn("config: {}", warning);
  }
  const int code = blink_sync::Service(std::move(config), std::move(token), options).run();
  spdlog::info("service: stopped version={} config={} mode={} pid={} exit_code={}", BLINK_SYNC_VERSION,
               line.config_path, mode_label(options), ::getpid(), code);
  return code;
}
