#pragma once

#include <pqxx/connection>

#include <cstdint>
#include <string>
#include <string_view>


namespace blink_sync {

// Returns the PostgreSQL advisory lock key that one writer holds. The
// mapping table in blink_sync belongs to one Blink organisation, and an
// advisory lock is scoped to its database, so the key is the same for every
// configuration. Deriving it from the token let a process with a rotated
// token write beside a daemon that still held the old key.
std::int64_t writer_lock_key();

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
