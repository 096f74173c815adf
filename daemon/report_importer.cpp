#include "daemon/report_importer.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <array>
#include <cctype>

#include "daemon/database_error.hpp"
#include "daemon/logging.hpp"
#include "mapping/page_walk.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// How often a range whose total_count moves while it is read is read again.
constexpr int kMaxReads = 3;
// Problems with single rows logged per report and run; the rest are counted.
constexpr std::size_t kMaxLoggedProblems = 20;

// Percent-encodes a query parameter value (RFC 3986 unreserved characters
// stay), so "Etc/GMT+5" cannot turn into a space.
std::string encode_query_value(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    if (std::isalnum(byte) != 0 || character == '-' || character == '_' || character == '.' || character == '~') {
      encoded += character;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4U];
      encoded += kHex[byte & 0x0FU];
    }
  }
  return encoded;
}

std::string describe_failure(const std::string& target, const ApiResult& result) {
  if (result.status == 0) {
    return "GET " + target + " failed: " + result.message;
  }
  return "GET " + target + " failed with HTTP " + std::to_string(result.status) + ": " +
         redact_personal_data(result.message);
}

std::chrono::sys_days local_today(const date::time_zone& zone, std::chrono::system_clock::time_point now) {
  const auto local = zone.to_local(std::chrono::time_point_cast<std::chrono::seconds>(now));
  return std::chrono::sys_days{date::floor<date::days>(local).time_since_epoch()};
}

// Logs one line with the counts of a report's import. It carries counts,
// days and the failure message, whose text from Blink has emails and dates
// redacted, and no row values.
void log_import(const ReportImportResult& result, const std::optional<DayRange>& span, std::size_t calls,
                std::chrono::milliseconds duration) {
  const auto first = span ? format_day(span->first) : std::string("-");
  const auto last = span ? format_day(span->last) : std::string("-");
  if (result.succeeded) {
    spdlog::info("reports: imported report={} first_day={} last_day={} ranges={} inserted={} changed={} "
                 "unchanged={} errors={} api_calls={} duration_ms={}",
                 report_name(result.kind), first, last, result.ranges, result.counts.inserted,
                 result.counts.changed, result.counts.unchanged, result.row_errors, calls, duration.count());
    return;
  }
  spdlog::error("reports: the {} import failed after {} complete range(s) (through {}): {}; the next import "
                "starts again from the last complete range. inserted={} changed={} unchanged={} errors={} "
                "api_calls={}",
                report_name(result.kind), result.ranges, last, one_line(result.message), result.counts.inserted,
                result.counts.changed, result.counts.unchanged, result.row_errors, calls);
}

}  // namespace

bool ReportRunResult::succeeded() const {
  for (const auto& report : reports) {
    if (!report.succeeded) {
      return false;
    }
  }
  return !token_rejected && !interrupted;
}

std::string report_target(ReportKind kind, const std::string& timezone, const DayRange& range, std::int64_t page,
                          int limit) {
  return "/reports/" + std::string(report_name(kind)) + "?timezone=" + encode_query_value(timezone) +
         "&rangeStart=" + format_day(range.first) + "&rangeEnd=" + format_day(range.last) +
         "&sort=id&direction=asc&limit=" + std::to_string(limit) + "&page=" + std::to_string(page);
}

ReportImporter::ReportImporter(Dependencies dependencies)
    : dependencies_(dependencies), store_(dependencies.database) {}

asio::awaitable<ReportRunResult> ReportImporter::run(std::chrono::system_clock::time_point now,
                                                     const std::vector<ReportKind>& kinds) {
  ReportRunResult result;
  try {
    zone_ = date::locate_zone(dependencies_.config.timezone);
  } catch (const std::runtime_error& error) {
    // Only when the tz database changed since the configuration was checked.
    spdlog::error("reports: cannot import: reports.timezone \"{}\" is not in the tz database: {}",
                  dependencies_.config.timezone, error.what());
    result.reports.push_back(ReportImportResult{kinds.empty() ? ReportKind::events : kinds.front(), false, {}, 0, 0,
                                                "unknown time zone"});
    co_return result;
  }
  const auto today = local_today(*zone_, now);

  for (const auto kind : kinds) {
    try {
      result.reports.push_back(co_await import(kind, today));
    } catch (const AuthenticationFailed& error) {
      spdlog::error("reports: the {} import stopped because Blink rejected the API token: {}", report_name(kind),
                    error.what());
      result.token_rejected = true;
      co_return result;
    } catch (const Interrupted&) {
      spdlog::info("reports: the {} import stopped for shutdown; its mark stays where the last complete range "
                   "left it",
                   report_name(kind));
      result.interrupted = true;
      co_return result;
    }
  }
  co_return result;
}

// Imports one report range by range, oldest first. Each range is stored
// with the mark in one transaction, so a failure keeps what earlier ranges
// imported and the next run starts after them.
asio::awaitable<ReportImportResult> ReportImporter::import(ReportKind kind, std::chrono::sys_days today) {
  const auto started = std::chrono::steady_clock::now();
  const auto calls_before = dependencies_.client.counts().requests;
  const auto& config = dependencies_.config;
  ReportImportResult result;
  result.kind = kind;

  std::optional<DayRange> span;
  try {
    const auto mark = store_.load_mark(kind);
    const auto ranges = plan_report_ranges(RangePlanInput{mark ? mark->imported_through : std::nullopt,
                                                          config.start_date, config.overlap_days, today,
                                                          config.max_days_per_range});
    for (const auto& range : ranges) {
      if (dependencies_.stop_requested) {
        throw Interrupted();
      }
      const auto rows = co_await read_range(kind, range, result.row_errors);
      result.counts += store_.save_range(kind, rows, config.timezone, range);
      ++result.ranges;
      span = DayRange{span ? span->first : range.first, range.last};
    }
    result.succeeded = true;
  } catch (const ReportReadError& error) {
    result.message = error.what();
  } catch (const pqxx::failure& error) {
    result.message = "a database statement failed: " + describe_database_error(error);
  }

  try {
    store_.record_attempt(kind, config.timezone,
                          result.succeeded ? std::nullopt : std::optional<std::string>(result.message));
  } catch (const pqxx::failure& error) {
    spdlog::error("reports: cannot record the {} import in blink_sync.report_marks: {}", report_name(kind),
                  describe_database_error(error));
  }

  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  log_import(result, span, dependencies_.client.counts().requests - calls_before, duration);
  co_return result;
}

// Reads every page of one range, again when the range changed while it was
// read. Logs each row problem (up to kMaxLoggedProblems per run) and adds
// their number to `row_errors`. Throws ReportReadError.
asio::awaitable<std::vector<ReportRow>> ReportImporter::read_range(ReportKind kind, const DayRange& range,
                                                                   std::size_t& row_errors) {
  for (int read = 1; read <= kMaxReads; ++read) {
    std::vector<ReportRow> rows;
    std::vector<std::string> problems;
    if (co_await read_range_once(kind, range, rows, problems)) {
      for (const auto& problem : problems) {
        if (row_errors < kMaxLoggedProblems) {
          spdlog::error("reports: {}", problem);
        } else if (row_errors == kMaxLoggedProblems) {
          spdlog::error("reports: more rows of the {} report have values that cannot be read; only the first {} "
                        "are logged, the rest are counted in errors=",
                        report_name(kind), kMaxLoggedProblems);
        }
        ++row_errors;
      }
      co_return rows;
    }
    if (read < kMaxReads) {
      spdlog::warn("reports: the {} report for {} to {} changed while it was read; reading it again read={}",
                   report_name(kind), format_day(range.first), format_day(range.last), read + 1);
    }
  }
  throw ReportReadError("Blink's " + std::string(report_name(kind)) + " report for " + format_day(range.first) +
                        " to " + format_day(range.last) + " kept changing while it was read (" +
                        std::to_string(kMaxReads) + " times)");
}

// Reads every page of a range once. Returns false when total_count moved
// meanwhile or fewer rows came than it announced.
asio::awaitable<bool> ReportImporter::read_range_once(ReportKind kind, const DayRange& range,
                                                      std::vector<ReportRow>& rows,
                                                      std::vector<std::string>& problems) {
  const auto& timezone = dependencies_.config.timezone;
  PageWalk walk;
  for (std::int64_t page = 1;; ++page) {
    const auto target = report_target(kind, timezone, range, page, dependencies_.page_size);
    const auto fetched = co_await fetch_page(target, page);
    if (!fetched) {
      co_return true;  // no rows in the range
    }
    const auto& list = *fetched;
    if (const auto problem = walk.add_page(page, list)) {
      throw ReportReadError("GET " + target + " " + *problem);
    }
    if (walk.changed()) {
      co_return false;
    }

    for (const auto& item : list.items) {
      auto decoded = decode_report_row(kind, item, *zone_);
      problems.insert(problems.end(), decoded.problems.begin(), decoded.problems.end());
      if (decoded.row) {
        rows.push_back(std::move(*decoded.row));
      }
    }
    if (!walk.has_page_after(page)) {
      co_return walk.complete();
    }
  }
}

// Reads one page. Returns nullopt for a 404 on the first page, which Blink
// sends for an empty list. Throws ReportReadError for any other failure or
// an unusable body.
asio::awaitable<std::optional<ListPage>> ReportImporter::fetch_page(const std::string& target, std::int64_t page) {
  const auto result = co_await dependencies_.client.call(http::verb::get, target);
  if (result.status == 404 && page == 1) {
    co_return std::nullopt;
  }
  if (!result.ok()) {
    throw ReportReadError(describe_failure(target, result));
  }
  auto decoded = decode_list_page(result.body);
  if (const auto* error = std::get_if<DecodeError>(&decoded)) {
    const auto& reason = result.body.is_null() && !result.message.empty() ? result.message : error->message;
    throw ReportReadError("GET " + target + " returned an unusable report page: " + reason);
  }
  co_return std::get<ListPage>(std::move(decoded));
}

}  // namespace blink_sync
