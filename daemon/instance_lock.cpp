#include "daemon/instance_lock.hpp"

#include <pqxx/result>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <unistd.h>

#include <array>

#include "daemon/journal.hpp"

namespace blink_sync {

std::int64_t writer_lock_key() {
  // The first 16 hex digits of a digest, as a signed 64-bit key, so another
  // program's advisory locks are unlikely to collide with it.
  const auto digest = sha256_hex("blink-sync writer lock");
  return static_cast<std::int64_t>(std::stoull(digest.substr(0, 16), nullptr, 16));
}

void name_connection(pqxx::connection& connection, std::string_view role) {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) {
    host[0] = '\0';
  }
  const auto name = "blink-sync " + std::string(role) + " pid=" + std::to_string(getpid()) +
                    " host=" + std::string(host.data());

  pqxx::nontransaction transaction(connection);
  transaction.exec_params("SELECT set_config('application_name', $1, false)", name.substr(0, 63));
}

bool InstanceLock::try_acquire() {
  pqxx::nontransaction transaction(connection_);
  return transaction.exec_params1("SELECT pg_try_advisory_lock($1)", key_)[0].as<bool>();
}

std::string InstanceLock::describe_holder() {
  // A bigint advisory lock shows in pg_locks as its high and low 32 bits.
  const auto key = static_cast<std::uint64_t>(key_);
  const auto high = static_cast<std::int64_t>(key >> 32U);
  const auto low = static_cast<std::int64_t>(key & 0xffffffffU);

  pqxx::nontransaction transaction(connection_);
  const auto rows = transaction.exec_params(
      "SELECT a.pid, COALESCE(NULLIF(a.application_name, ''), 'an unnamed session'), "
      "COALESCE(host(a.client_addr), 'a local socket'), date_trunc('second', a.backend_start)::text "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2 "
      "AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      high, low);
  if (rows.empty()) {
    return "no session (it was released just now)";
  }
  const auto& row = rows[0];
  return std::string(row[1].c_str()) + " (database backend pid " + row[0].c_str() + "), connected from " +
         row[2].c_str() + " since " + row[3].c_str();
}

}  // namespace blink_sync
