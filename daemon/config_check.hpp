#pragma once

#include <ostream>
#include <string>

namespace blink_sync {

// `blink-sync check-config`: validates the configuration file and the token
// source, connects to PostgreSQL, runs each roster query and events.query
// with LIMIT 0 in a read-only transaction, prepares each write-back and
// import statement in a transaction that is rolled back, and sends one GET
// to Blink to prove the token. Writes one line per step to `out` and every
// invalid query or statement to `err`. Returns 0, or kExitConfig,
// kExitUnavailable or kExitNoPermission for the first problem found. The
// Blink check runs only when the database checks passed.
int check_configuration(const std::string& config_path, std::ostream& out, std::ostream& err);

}  // namespace blink_sync
