#include "daemon/database_error.hpp"

#include <pqxx/except>

#include <regex>

namespace blink_sync {

std::string one_line(const std::string& text) {
  std::string line;
  line.reserve(text.size());
  for (char c : text) {
    line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  return line;
}

std::string describe_database_error(const std::exception& error) {
  std::string message = error.what();
  message = message.substr(0, message.find('\n'));
  // PostgreSQL quotes the input it rejects after a colon ('invalid input
  // syntax for type date: "..."'). It quotes constraints, columns and tables
  // after a word ('constraint "mapping_pkey"'). Only the first kind may be
  // personal data.
  static const std::regex quoted_value(R"re((:\s*)"([^"\\]|\\.)*")re");
  message = std::regex_replace(message, quoted_value, "$1\"<value>\"");

  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error); sql != nullptr && !sql->sqlstate().empty()) {
    message += " (SQLSTATE " + sql->sqlstate() + ")";
  }
  return one_line(message);
}

}  // namespace blink_sync
