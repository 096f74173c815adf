#pragma once

#include <pqxx/connection>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "mapping/report_range.hpp"
#include "mapping/report_row.hpp"

namespace blink_sync {

// The import state of one report (a row of blink_sync.report_marks).
struct ReportMark {
  std::optional<std::chrono::sys_days> imported_through;
  std::string timezone;
};

// Row counts from storing the rows of one or more ranges.
struct UpsertCounts {
  std::size_t inserted = 0;
  std::size_t changed = 0;    // stored before, content (raw) different now
  std::size_t unchanged = 0;  // stored before with the same content; only last_seen_at moves

  UpsertCounts& operator+=(const UpsertCounts& other) {
    inserted += other.inserted;
    changed += other.changed;
    unchanged += other.unchanged;
    return *this;
  }
};

// The report tables and their marks in the blink_sync schema. Every call
// runs its own transaction and throws pqxx exceptions on failure.
class ReportStore {
 public:
  explicit ReportStore(pqxx::connection& connection) : connection_(connection) {}

  std::optional<ReportMark> load_mark(ReportKind kind);

  // Upserts the rows of a range read completely and moves the report's
  // imported_through to `range.last` (never backwards), in one transaction.
  UpsertCounts save_range(ReportKind kind, const std::vector<ReportRow>& rows, const std::string& timezone,
                          const DayRange& range);

  // Records that an import of the report ended now, and why it failed
  // (nullopt when it succeeded).
  void record_attempt(ReportKind kind, const std::string& timezone, const std::optional<std::string>& error);

  // Returns the reports of `kinds` that were never imported, or whose last
  // attempt ended at least `interval` ago, or failed at least an hour ago
  // (or `interval`, when that is shorter).
  std::vector<ReportKind> due_reports(const std::vector<ReportKind>& kinds, std::chrono::hours interval);

 private:
  pqxx::connection& connection_;
};

}  // namespace blink_sync
