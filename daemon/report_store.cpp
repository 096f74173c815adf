#include "daemon/report_store.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include <algorithm>

namespace blink_sync {
namespace {

// A failed import is tried again this soon, or at the interval if that is
// shorter, rather than a whole interval (a day unless set) later.
constexpr std::chrono::hours kRetryAfterFailedImport{1};

std::string table_of(ReportKind kind) { return "blink_sync.report_" + std::string(report_name(kind)); }

// Builds the upsert of one row. Column names come from report_columns(),
// never from input; every value is a parameter. A row is "changed" only when
// its raw JSON differs from the stored one. RETURNING reads the new row, so
// first_imported_at = now() marks an insert and changed_at = now() a change
// in this transaction.
std::string upsert_statement(ReportKind kind) {
  const auto& columns = report_columns(kind);
  std::string names = "id";
  std::string values = "$1::bigint";
  std::string updates;
  int parameter = 2;
  for (const auto& column : columns) {
    names += ", " + column.name;
    values += ", $" + std::to_string(parameter++) + "::" + std::string(column.sql_type);
    updates += column.name + " = EXCLUDED." + column.name + ", ";
  }
  names += ", timezone, raw";
  values += ", $" + std::to_string(parameter) + "::text, $" + std::to_string(parameter + 1) + "::jsonb";

  return "INSERT INTO " + table_of(kind) + " AS stored (" + names + ") VALUES (" + values +
         ") ON CONFLICT (id) DO UPDATE SET " + updates +
         "timezone = EXCLUDED.timezone, raw = EXCLUDED.raw, last_seen_at = now(), "
         "changed_at = CASE WHEN stored.raw IS DISTINCT FROM EXCLUDED.raw THEN now() ELSE stored.changed_at END "
         "RETURNING stored.first_imported_at = now(), stored.changed_at IS NOT DISTINCT FROM now()";
}

}  // namespace

std::optional<ReportMark> ReportStore::load_mark(ReportKind kind) {
  pqxx::read_transaction transaction(connection_);
  const auto rows = transaction.exec_params(
      "SELECT to_char(imported_through, 'YYYY-MM-DD'), timezone FROM blink_sync.report_marks WHERE report = $1",
      std::string(report_name(kind)));
  if (rows.empty()) {
    return std::nullopt;
  }
  ReportMark mark;
  if (!rows[0][0].is_null()) {
    mark.imported_through = parse_day(rows[0][0].c_str());
  }
  mark.timezone = rows[0][1].c_str();
  return mark;
}

UpsertCounts ReportStore::save_range(ReportKind kind, const std::vector<ReportRow>& rows, const std::string& timezone,
                                     const DayRange& range) {
  const auto statement = upsert_statement(kind);
  UpsertCounts counts;
  pqxx::work transaction(connection_);
  for (const auto& row : rows) {
    const auto result = transaction.exec_params1(statement, row.id, pqxx::prepare::make_dynamic_params(row.values),
                                                 timezone, row.raw.dump());
    if (result[0].as<bool>()) {
      ++counts.inserted;
    } else if (result[1].as<bool>()) {
      ++counts.changed;
    } else {
      ++counts.unchanged;
    }
  }

  transaction.exec_params(
      "INSERT INTO blink_sync.report_marks (report, imported_through, timezone, imported_at) "
      "VALUES ($1, $2::date, $3, now()) "
      "ON CONFLICT (report) DO UPDATE SET timezone = EXCLUDED.timezone, imported_at = now(), "
      "imported_through = GREATEST(blink_sync.report_marks.imported_through, EXCLUDED.imported_through)",
      std::string(report_name(kind)), format_day(range.last), timezone);
  transaction.commit();
  return counts;
}

void ReportStore::record_attempt(ReportKind kind, const std::string& timezone,
                                 const std::optional<std::string>& error) {
  pqxx::work transaction(connection_);
  transaction.exec_params(
      "INSERT INTO blink_sync.report_marks (report, timezone, attempted_at, last_error) VALUES ($1, $2, now(), $3) "
      "ON CONFLICT (report) DO UPDATE SET attempted_at = now(), last_error = EXCLUDED.last_error",
      std::string(report_name(kind)), timezone, error);
  transaction.commit();
}

std::vector<ReportKind> ReportStore::due_reports(const std::vector<ReportKind>& kinds, std::chrono::hours interval) {
  const auto retry_after = std::min(interval, kRetryAfterFailedImport);
  std::vector<ReportKind> due;
  pqxx::read_transaction transaction(connection_);
  for (const auto kind : kinds) {
    const auto rows = transaction.exec_params(
        "SELECT attempted_at <= now() - make_interval(hours => $2) "
        "OR (last_error IS NOT NULL AND attempted_at <= now() - make_interval(hours => $3)) "
        "FROM blink_sync.report_marks WHERE report = $1",
        std::string(report_name(kind)), static_cast<int>(interval.count()), static_cast<int>(retry_after.count()));
    if (rows.empty() || rows[0][0].as<bool>()) {
      due.push_back(kind);
    }
  }
  return due;
}

}  // namespace blink_sync
