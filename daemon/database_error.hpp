#pragma once

#include <exception>
#include <string>

namespace blink_sync {

// Returns a one-line description of a PostgreSQL or libpqxx error that is
// safe to log at error level. It is the first line of the server's message
// with the SQLSTATE code when known. A quoted input value is masked, because
// it may be a name or a birth date.
std::string describe_database_error(const std::exception& error);

// Returns `text` with line breaks replaced by spaces, so one event is one
// log line.
std::string one_line(const std::string& text);

}  // namespace blink_sync
