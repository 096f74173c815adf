#pragma once

#include <boost/asio/awaitable.hpp>
#include <pqxx/connection>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/blink_client.hpp"
#include "daemon/report_store.hpp"
#include "daemon/reports_config.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/report_range.hpp"
#include "mapping/report_row.hpp"

namespace blink_sync {

// A report range could not be read in a way that can be trusted (a page
// failed after retries, a response was malformed, the paging was broken).
// That report's import stops for this run and its mark stays.
class ReportReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The outcome of one report's import.
struct ReportImportResult {
  ReportKind kind = ReportKind::events;
  bool succeeded = false;
  UpsertCounts counts;
  std::size_t row_errors = 0;  // values that could not be read, and rows without an id
  std::size_t ranges = 0;      // day ranges read completely
  std::string message;         // why the import failed, when it did
};

// The outcome of one import run of every configured report.
struct ReportRunResult {
  std::vector<ReportImportResult> reports;
  bool token_rejected = false;  // Blink returned 401
  bool interrupted = false;     // shutdown cut the run short

  bool succeeded() const;
};

// Imports Blink's attendance reports into the blink_sync report tables, by
// day range from each report's mark, through the shared throttled client.
// Runs between sync cycles, never during one.
class ReportImporter {
 public:
  struct Dependencies {
    const ReportsConfig& config;
    int page_size;
    pqxx::connection& database;
    BlinkClient& client;
    const std::atomic<bool>& stop_requested;
  };

  explicit ReportImporter(Dependencies dependencies);

  // Imports each report of `kinds` up to the current day in
  // reports.timezone. Every failure except AuthenticationFailed and
  // Interrupted is caught, logged once and returned in the result; those
  // two end the run and are flagged in it.
  boost::asio::awaitable<ReportRunResult> run(std::chrono::system_clock::time_point now,
                                              const std::vector<ReportKind>& kinds);

 private:
  boost::asio::awaitable<ReportImportResult> import(ReportKind kind, std::chrono::sys_days today);
  boost::asio::awaitable<std::vector<ReportRow>> read_range(ReportKind kind, const DayRange& range,
                                                            std::size_t& row_errors);
  boost::asio::awaitable<bool> read_range_once(ReportKind kind, const DayRange& range,
                                               std::vector<ReportRow>& rows, std::vector<std::string>& problems);
  boost::asio::awaitable<std::optional<ListPage>> fetch_page(const std::string& target, std::int64_t page);

  Dependencies dependencies_;
  ReportStore store_;
  const date::time_zone* zone_ = nullptr;
};

// Returns the GET target of one page of a report for `range`, sorted by id.
std::string report_target(ReportKind kind, const std::string& timezone, const DayRange& range, std::int64_t page,
                          int limit);

}  // namespace blink_sync
