#include "daemon/read_marks.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <algorithm>

namespace blink_sync {

ReadMarkSet ReadMarks::load(std::chrono::seconds reconcile_interval) {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec_params(
      "SELECT entity, newest_updated, highest_id, known_total, full_read_at <= now() - make_interval(secs => $1) "
      "FROM blink_sync.read_marks",
      static_cast<double>(reconcile_interval.count()));

  ReadMarkSet marks;
  for (const auto& row : rows) {
    const auto entity = entity_from_name(row[0].c_str());
    if (!entity) {
      continue;  // the CHECK constraint makes this unreachable
    }
    ReadMark mark;
    mark.newest_updated = row[1].c_str();
    mark.highest_id = row[2].as<std::int64_t>();
    if (!row[3].is_null()) {
      mark.known_total = row[3].as<std::int64_t>();
    }
    mark.full_read_due = row[4].as<bool>();
    marks[static_cast<std::size_t>(*entity)] = std::move(mark);
  }
  return marks;
}

void ReadMarks::forget_totals() {
  pqxx::work transaction(connection_);
  transaction.exec("UPDATE blink_sync.read_marks SET known_total = NULL WHERE known_total IS NOT NULL");
  transaction.commit();
}

void ReadMarks::keep(Entity entity, const ReadMark& previous) {
  pqxx::work transaction(connection_);
  transaction.exec_params("UPDATE blink_sync.read_marks SET known_total = $2 WHERE entity = $1",
                          std::string(entity_name(entity)), previous.known_total);
  transaction.commit();
}

void ReadMarks::save(Entity entity, const ListReadSummary& summary, const std::optional<ReadMark>& previous,
                     std::int64_t net_change, std::int64_t highest_created, const std::string& newest_written) {
  auto newest = std::max(summary.newest_updated, newest_written);
  auto highest = std::max(summary.highest_id, highest_created);
  if (previous && !summary.full) {
    newest = std::max(newest, previous->newest_updated);
    highest = std::max(highest, previous->highest_id);
  }

  pqxx::work transaction(connection_);
  transaction.exec_params(
      "INSERT INTO blink_sync.read_marks (entity, newest_updated, highest_id, known_total, full_read_at) "
      "VALUES ($1, $2, $3, $4, now()) "
      "ON CONFLICT (entity) DO UPDATE SET newest_updated = EXCLUDED.newest_updated, "
      "highest_id = EXCLUDED.highest_id, known_total = EXCLUDED.known_total, read_at = now(), "
      "full_read_at = CASE WHEN $5 THEN now() ELSE blink_sync.read_marks.full_read_at END",
      std::string(entity_name(entity)), newest, highest, summary.total_count + net_change, summary.full);
  transaction.commit();
}

}  // namespace blink_sync
