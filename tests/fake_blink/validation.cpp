#include "validation.hpp"

#include <regex>

#include <date/date.h>
#include <date/tz.h>

#include "http_types.hpp"

namespace fake_blink {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string quoted(std::string_view text) { return "\"" + std::string{text} + "\""; }

}  // namespace

std::string required_text(const Payload& payload, std::string_view key) {
  const auto value = payload.text(key);
  if (!value || is_blank(*value)) {
    throw validation_error(std::string{key} + " is required");
  }
  return *value;
}

std::optional<std::string> changed_required_text(const Payload& payload, std::string_view key) {
  if (!payload.has(key)) {
    return std::nullopt;
  }
  return required_text(payload, key);
}

void check_timezone(std::string_view key, std::string_view name) {
  // NOTE: date::locate_zone also accepts link names such as US/Eastern.
  // Whether Blink's "valid PHP timezone" check accepts them is unknown.
  try {
    date::locate_zone(name);
  } catch (const std::runtime_error&) {
    throw validation_error(std::string{key} +
                           " must be a valid timezone such as America/Denver, got " +
                           quoted(name));
  }
}

void check_date_of_birth(std::string_view value) {
  static const std::regex shape{R"((\d{2})/(\d{2})/(\d{4}))"};
  std::match_results<std::string_view::const_iterator> parts;
  if (std::regex_match(value.begin(), value.end(), parts, shape)) {
    const auto number = [&](int index) { return std::stoi(parts[index].str()); };
    const date::year_month_day date{date::year{number(3)},
                                    date::month{static_cast<unsigned>(number(1))},
                                    date::day{static_cast<unsigned>(number(2))}};
    if (date.ok()) {
      return;
    }
  }

  throw validation_error("date_of_birth must be a real date in MM/DD/YYYY format, got " +
                         quoted(value));
}

void check_email_format(std::string_view email) {
  static const std::regex shape{R"([^@\s]+@[^@\s]+\.[^@\s]+)"};
  if (!std::regex_match(email.begin(), email.end(), shape)) {
    throw validation_error("email must be a valid email address, got " + quoted(email));
  }
}

void check_email_unique(const Store& store, std::string_view email,
                        std::optional<RecordId> except) {
  if (store.email_in_use(email, except)) {
    throw validation_error("email has already been taken");
  }
}

std::set<RecordId> existing_student_ids(const Store& store, std::string_view key,
                                        const std::vector<std::int64_t>& ids) {
  std::set<RecordId> existing;
  for (const std::int64_t id : ids) {
    if (store.find_student(id) == nullptr) {
      throw validation_error(std::string{key} + " contains " + std::to_string(id) +
                             ", which is not an existing student id");
    }
    existing.insert(id);
  }
  return existing;
}

}  // namespace fake_blink
