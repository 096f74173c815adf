#include "daemon/report_status.hpp"

#include <pqxx/result>

namespace blink_sync {

void print_report_marks(pqxx::read_transaction& transaction, std::ostream& out) {
  if (!transaction.exec1("SELECT to_regclass('blink_sync.report_marks') IS NOT NULL")[0].as<bool>()) {
    return;
  }
  const auto rows = transaction.exec(
      "SELECT report, COALESCE(to_char(imported_through, 'YYYY-MM-DD'), '-'), timezone, "
      "COALESCE(to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-'), "
      "to_char(attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), COALESCE(last_error, '') "
      "FROM blink_sync.report_marks ORDER BY report");
  out << "\nreport imports:\n";
  if (rows.empty()) {
    out << "  none yet\n";
  }
  for (const auto& row : rows) {
    out << "  report=" << row[0].as<std::string>() << " imported_through=" << row[1].as<std::string>()
        << " timezone=" << row[2].as<std::string>() << " last_stored=" << row[3].as<std::string>()
        << " last_attempt=" << row[4].as<std::string>();
    const auto error = row[5].as<std::string>();
    if (!error.empty()) {
      out << " error=\"" << error << "\"";
    }
    out << "\n";
  }
}

}  // namespace blink_sync
