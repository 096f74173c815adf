#include "mapping/named_parameters.hpp"

#include <algorithm>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Returns the index just past a quoted span or comment starting at `i`, or
// `i` when none starts there.
std::size_t skip_literal(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  if (c == '\'' || c == '"') {
    const auto end = sql.find(c, i + 1);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (sql.substr(i, 2) == "--") {
    const auto end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (sql.substr(i, 2) == "/*") {
    const auto end = sql.find("*/", i + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  return i;
}

}  // namespace

std::variant<BoundStatement, std::string> bind_named_parameters(std::string_view sql,
                                                             const std::vector<std::string>& allowed) {
  BoundStatement statement;
  std::size_t i = 0;
  while (i < sql.size()) {
    const auto past_literal = skip_literal(sql, i);
    if (past_literal != i) {
      statement.sql.append(sql.substr(i, past_literal - i));
      i = past_literal;
      continue;
    }
    if (sql.substr(i, 2) == "::") {
      statement.sql.append("::");
      i += 2;
      continue;
    }
    if (sql[i] != ':' || i + 1 >= sql.size() || !is_name_start(sql[i + 1])) {
      statement.sql.push_back(sql[i++]);
      continue;
    }

    auto end = i + 1;
    while (end < sql.size() && is_name_char(sql[end])) {
      ++end;
    }
    const std::string name(sql.substr(i + 1, end - i - 1));
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return "unknown parameter :" + name + "; the statement may use :" + join(allowed, ", :");
    }
    auto position = std::find(statement.names.begin(), statement.names.end(), name);
    if (position == statement.names.end()) {
      statement.names.push_back(name);
      position = statement.names.end() - 1;
    }
    statement.sql.append("$" + std::to_string(position - statement.names.begin() + 1));
    i = end;
  }
  return statement;
}

}  // namespace blink_sync
