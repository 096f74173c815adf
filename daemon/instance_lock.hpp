#pragma once

#include <pqxx/connection>

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/url.hpp"

namespace blink_sync {

// Returns the PostgreSQL advisory lock key of a Blink organisation: a hash of
// the API's address and of a digest of the token, so the token itself is never
// sent to the database. Two configurations that reach the same organisation
// with the same token get the same key; a rotated token gives another key.
std::int64_t organisation_lock_key(const Endpoint& endpoint, std::string_view token);

// Names the connection in pg_stat_activity as "blink-sync ROLE pid=N
// host=H" (ROLE is "daemon" or the mode of a single run), so a second
// instance can name the holder of the lock and --resync can find a daemon.
void name_connection(pqxx::connection& connection, std::string_view role);

// The one-writer lock: a session-level advisory lock held on the daemon's
// connection for as long as that connection lives. PostgreSQL releases it
// when the process or the connection ends, so a crash never leaves it held.
class InstanceLock {
 public:
  InstanceLock(pqxx::connection& connection, std::int64_t key) : connection_(connection), key_(key) {}

  // Takes the lock if it is free. Returns true when this connection has it.
  bool try_acquire();

  // Describes the session that holds the lock ("blink-sync pid=42
  // host=school-1, connected from 10.0.0.5 since 2026-12-04 21:00:00+00"),
  // or reports that it is no longer held.
  std::string describe_holder();

 private:
  pqxx::connection& connection_;
  std::int64_t key_;
};

}  // namespace blink_sync
