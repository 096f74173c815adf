#pragma once

#include <pqxx/connection>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "mapping/entity.hpp"

namespace blink_sync {

// The mark of one of Blink's lists: where it was last read (a row of
// blink_sync.read_marks).
struct ReadMark {
  std::string newest_updated;  // YYYY-MM-DD HH:MM:SS
  std::int64_t highest_id = 0;
  std::optional<std::int64_t> known_total;  // unknown after a cycle that did not finish
  bool full_read_due = true;
};

// The result of one cycle's read of a list, saved as its next mark.
struct ListReadSummary {
  bool read = false;  // the list was read this cycle
  bool full = false;
  std::int64_t total_count = 0;
  std::string newest_updated;
  std::int64_t highest_id = 0;
};

using ReadMarkSet = std::array<std::optional<ReadMark>, 3>;  // indexed by Entity

class ReadMarks {
 public:
  explicit ReadMarks(pqxx::connection& connection) : connection_(connection) {}

  // Returns the marks; a mark whose last full read is older than
  // `reconcile_interval` has full_read_due set.
  ReadMarkSet load(std::chrono::seconds reconcile_interval);

  // Forgets every known total before a cycle writes, so that a crash in the
  // middle cannot leave a count that hides a deletion made in Blink.
  void forget_totals();

  // Puts back the known total of a list this cycle did not read, after the
  // cycle's writes finished without touching it.
  void keep(Entity entity, const ReadMark& previous);

  // Saves the mark of a list read this cycle. `net_change` is the number of
  // records this cycle created minus those it deleted, after the read, and
  // `highest_created` the highest id it created (0 for none) and
  // `newest_written` the newest updated_at of its writes ("" for none).
  void save(Entity entity, const ListReadSummary& summary, const std::optional<ReadMark>& previous,
            std::int64_t net_change, std::int64_t highest_created, const std::string& newest_written);

 private:
  pqxx::connection& connection_;
};

}  // namespace blink_sync
