#include "mapping/write_back_statement.hpp"

#include <algorithm>

#include "mapping/fields.hpp"

namespace blink_sync {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Returns the end of a quoted text that starts at `start` with `quote`, past
// the closing quote. A doubled quote is part of the text, and so is a
// backslash escape when `backslash_escapes` is set (E'...'). Returns npos
// when the quote is not closed.
std::size_t skip_quoted(std::string_view sql, std::size_t start, char quote, bool backslash_escapes) {
  for (std::size_t i = start + 1; i < sql.size(); ++i) {
    if (backslash_escapes && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return std::string_view::npos;
}

// Returns the tag of a dollar quote that starts at `start` ("$$" or
// "$tag$"), or nullopt when `$` starts something else.
std::optional<std::string_view> dollar_quote_tag(std::string_view sql, std::size_t start) {
  std::size_t i = start + 1;
  if (i < sql.size() && sql[i] != '$' && !is_name_start(sql[i])) {
    return std::nullopt;
  }
  while (i < sql.size() && is_name_char(sql[i])) {
    ++i;
  }
  if (i >= sql.size() || sql[i] != '$') {
    return std::nullopt;
  }
  return sql.substr(start, i - start + 1);
}

// Returns the end of a block comment starting at `start`; block comments
// nest in PostgreSQL.
std::size_t skip_block_comment(std::string_view sql, std::size_t start) {
  int depth = 0;
  for (std::size_t i = start; i + 1 < sql.size(); ++i) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      ++i;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      ++i;
      if (--depth == 0) {
        return i + 1;
      }
    }
  }
  return std::string_view::npos;
}

bool has_statement_text(std::string_view sql) {
  return std::any_of(sql.begin(), sql.end(), [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';'; });
}

std::string join_names(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) {
    list += (list.empty() ? ":" : ", :") + name;
  }
  return list;
}

}  // namespace

std::string_view write_back_event_name(WriteBackEvent event) {
  switch (event) {
    case WriteBackEvent::created:
      return "created";
    case WriteBackEvent::adopted:
      return "adopted";
    case WriteBackEvent::changed_in_blink:
      return "changed_in_blink";
    case WriteBackEvent::removed:
      return "removed";
  }
  return "created";
}

std::optional<WriteBackEvent> write_back_event_from_name(std::string_view name) {
  for (const auto event : kWriteBackEvents) {
    if (write_back_event_name(event) == name) {
      return event;
    }
  }
  return std::nullopt;
}

std::string field_parameter_name(Entity entity, std::size_t index) {
  const auto& spec = fields_of(entity)[index];
  const bool identifier = std::all_of(spec.blink_key.begin(), spec.blink_key.end(), is_name_char);
  if (identifier) {
    return std::string(spec.blink_key);
  }
  return "permission_" + std::string(spec.roster_column);
}

std::vector<std::string> write_back_parameter_names(Entity entity) {
  std::vector<std::string> names = {"local_id",   "blink_id",   "entity",     "join_by_link",      "activated",
                                    "created_at", "updated_at", "linked_student_ids", "pulled_fields"};
  for (std::size_t i = 0; i < fields_of(entity).size(); ++i) {
    names.push_back(field_parameter_name(entity, i));
  }
  return names;
}

std::variant<PositionalStatement, std::string> to_positional(std::string_view sql,
                                                             const std::vector<std::string>& known_names) {
  if (!has_statement_text(sql)) {
    return std::string("the statement is empty");
  }

  PositionalStatement statement;
  std::size_t i = 0;
  const auto copy_until = [&](std::size_t end, const char* what) -> std::optional<std::string> {
    if (end == std::string_view::npos) {
      return std::string(what) + " that starts at character " + std::to_string(i + 1) + " is not closed";
    }
    statement.sql.append(sql.substr(i, end - i));
    i = end;
    return std::nullopt;
  };

  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    std::optional<std::string> problem;
    if (c == '\'') {
      const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_name_char(sql[i - 2]));
      problem = copy_until(skip_quoted(sql, i, '\'', escapes), "a quoted text");
    } else if (c == '"') {
      problem = copy_until(skip_quoted(sql, i, '"', false), "a quoted identifier");
    } else if (c == '-' && next == '-') {
      const auto end = sql.find('\n', i);
      problem = copy_until(end == std::string_view::npos ? sql.size() : end, "a comment");
    } else if (c == '/' && next == '*') {
      problem = copy_until(skip_block_comment(sql, i), "a comment");
    } else if (c == '$' && i > 0 && is_name_char(sql[i - 1])) {
      statement.sql.push_back(c);  // part of an identifier such as a$b
      ++i;
    } else if (c == '$' && is_digit(next)) {
      return "positional parameters such as $" + std::string(1, next) +
             " are not allowed; use named parameters such as :blink_id";
    } else if (const auto tag = c == '$' ? dollar_quote_tag(sql, i) : std::nullopt) {
      const auto close = sql.find(*tag, i + tag->size());
      problem = copy_until(close == std::string_view::npos ? close : close + tag->size(), "a dollar-quoted text");
    } else if (c == ':' && next == ':') {
      statement.sql.append("::");
      i += 2;
    } else if (c == ':' && is_name_start(next)) {
      std::size_t end = i + 1;
      while (end < sql.size() && is_name_char(sql[end])) {
        ++end;
      }
      const std::string name(sql.substr(i + 1, end - i - 1));
      if (std::find(known_names.begin(), known_names.end(), name) == known_names.end()) {
        return "unknown parameter :" + name + "; the known ones are " + join_names(known_names);
      }
      auto found = std::find(statement.parameters.begin(), statement.parameters.end(), name);
      if (found == statement.parameters.end()) {
        statement.parameters.push_back(name);
        found = statement.parameters.end() - 1;
      }
      statement.sql += "$" + std::to_string(found - statement.parameters.begin() + 1);
      i = end;
    } else {
      statement.sql.push_back(c);
      ++i;
    }
    if (problem) {
      return *problem;
    }
  }
  return statement;
}

}  // namespace blink_sync
