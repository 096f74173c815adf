#pragma once

#include <optional>
#include <string>

#include "daemon/config.hpp"
#include "daemon/sync_cycle.hpp"

namespace blink_sync {

// Process exit codes, also listed by --help.
enum ExitCode : int {
  kExitSuccess = 0,      // every cycle ran; record errors may have been logged
  kExitCycleFailed = 1,  // --once, --resync or --dry-run: the cycle failed as a whole
  kExitUsage = 2,        // invalid command line or configuration
  kExitCannotStart = 3,  // the database, its migrations or the log file failed at start
  kExitLocked = 75,      // --once or --resync: another instance holds the organisation's lock (EX_TEMPFAIL)
};

struct RunOptions {
  bool daemon = true;  // a cycle every poll interval until SIGTERM or SIGINT
  CycleMode mode = CycleMode::poll;
  bool dry_run = false;
  std::optional<std::size_t> allowed_removals;  // --allow-deletions, for the first cycle
  bool reports_only = false;  // import-reports: import the attendance reports once, no sync cycle
};

// The process's event loop: connects to PostgreSQL, applies migrations, then
// runs one cycle or one every poll interval. SIGTERM and SIGINT let the
// request in flight finish, record the run and exit. A second signal, or
// 30 s without the request finishing, closes the connection to Blink.
class Service {
 public:
  Service(Config config, std::string token, RunOptions options);

  // Runs until done and returns the exit code.
  int run();

 private:
  Config config_;
  std::string token_;
  RunOptions options_;
};

}  // namespace blink_sync
