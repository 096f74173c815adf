// blink-sync: keeps a school's or clinic's PostgreSQL roster and its Blink
// Lesson organisation in agreement. This file only reads the command line and
// the configuration; the work is in Service.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "daemon/config.hpp"
#include "daemon/logging.hpp"
#include "daemon/service.hpp"

namespace {

using blink_sync::CycleMode;

struct CommandLine {
  std::string config_path;
  bool once = false;
  bool resync = false;
  bool dry_run = false;
  bool check_config = false;
};

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success (record errors, if any, are in the log and blink_sync.record_errors)\n"
    "  1  --once, --resync or --dry-run: the cycle failed as a whole\n"
    "  2  invalid command line or configuration\n"
    "  3  cannot start: database, migrations or log file\n"
    "  75 --once or --resync: another blink-sync instance is syncing the same Blink organisation; try again later\n"
    "\n"
    "Environment: BLINK_SYNC_DATABASE_URL, BLINK_SYNC_BASE_URL and BLINK_SYNC_TOKEN\n"
    "override database.url, blink.base_url and blink.token_file.";

void describe_options(CLI::App& app, CommandLine& line) {
  app.add_option("-c,--config", line.config_path, "Configuration file (YAML); see config.example.yaml")
      ->required()
      ->check(CLI::ExistingFile);
  auto* once = app.add_flag("--once", line.once, "Run one sync cycle and exit, instead of running as a daemon");
  auto* resync = app.add_flag("--resync", line.resync,
                              "Run one full cycle that compares every record with Blink itself, ignoring the "
                              "last-synced copy, re-sends every difference, and exits");
  once->excludes(resync);
  app.add_flag("--dry-run", line.dry_run,
               "Print the plan of one cycle (what would be created, updated, linked, discharged, deleted) and "
               "exit; changes nothing in Blink or the database. Combine with --resync to plan a resync");
  app.add_flag("--check-config", line.check_config, "Validate the configuration and the token source, then exit");
  app.set_version_flag("--version", BLINK_SYNC_VERSION);
  app.footer(kExitCodes);
}

blink_sync::RunOptions run_options(const CommandLine& line) {
  blink_sync::RunOptions options;
  options.daemon = !line.once && !line.resync && !line.dry_run;
  options.mode = line.resync ? CycleMode::resync : (line.once ? CycleMode::once : CycleMode::poll);
  options.dry_run = line.dry_run;
  return options;
}

std::string_view mode_label(const blink_sync::RunOptions& options) {
  if (options.dry_run) {
    return "dry-run";
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
  const auto environment = blink_sync::ConfigEnvironment::from_process();
  blink_sync::Config config;
  std::string token;
  try {
    config = blink_sync::load_config(line.config_path, environment);
    token = blink_sync::load_token(config, environment);
  } catch (const blink_sync::ConfigError& error) {
    for (const auto& problem : error.problems()) {
      std::cerr << "blink-sync: " << problem << "\n";
    }
    return blink_sync::kExitUsage;
  }
  if (line.check_config) {
    std::cout << line.config_path << ": configuration is valid\n";
    return blink_sync::kExitSuccess;
  }

  try {
    blink_sync::setup_logging(config.log);
  } catch (const std::exception& error) {
    std::cerr << "blink-sync: " << error.what() << "\n";
    return blink_sync::kExitCannotStart;
  }

  const auto options = run_options(line);
  spdlog::info("service: starting version={} config={} mode={}", BLINK_SYNC_VERSION, config.path,
               mode_label(options));
  if (const auto warning = blink_sync::token_file_warning(config, environment)) {
    spdlog::warn("service: {}", *warning);
  }
  const int code = blink_sync::Service(std::move(config), std::move(token), options).run();
  spdlog::info("service: stopped exit_code={}", code);
  return code;
}
