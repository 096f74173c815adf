#include "mapping/row_validation.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

constexpr std::chrono::year kEarliestBirthYear{1900};

std::string lower_ascii(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7F; });
}

bool is_email_shape(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) {
    return false;
  }
  const auto bad = [](unsigned char c) { return c <= 0x20 || c == 0x7F || c == ',' || c == ';'; };
  return std::none_of(email.begin(), email.end(), bad) && domain.find("..") == std::string_view::npos;
}

bool is_phone_shape(std::string_view phone) {
  const auto allowed = [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' ||
           c == '.';
  };
  const auto digits = phone_digits(phone).size();
  return std::all_of(phone.begin(), phone.end(), allowed) && digits >= 7 && digits <= 15;
}

bool is_integer(std::string_view text) {
  long long value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc{} && stop == end && value >= 0;
}

// Validates one field and returns its canonical value, or nullopt with a
// problem appended.
class RowChecker {
 public:
  RowChecker(const ValidationContext& context, std::vector<std::string>& problems)
      : context_(context), problems_(problems) {}

  // `cell` is the row's value of the field's column, as RosterRow::get
  // returns it.
  std::optional<std::string> check(const FieldSpec& spec,
                                   const std::optional<std::optional<std::string_view>>& cell) {
    if (!cell) {
      return absent(spec);
    }
    const auto& value = *cell;
    if (!value || (spec.kind != FieldKind::text && trim(*value).empty())) {
      return null_value(spec);
    }
    return present(spec, *value);
  }

 private:
  // The column is not in the query: a required field is a problem, an
  // optional one stays unmanaged.
  std::optional<std::string> absent(const FieldSpec& spec) {
    if (spec.kind == FieldKind::timezone && context_.default_timezone) {
      return *context_.default_timezone;
    }
    if (spec.required) {
      problem(spec, "is missing from the query's columns");
    }
    return std::nullopt;
  }

  std::optional<std::string> null_value(const FieldSpec& spec) {
    if (spec.kind == FieldKind::timezone && context_.default_timezone) {
      return *context_.default_timezone;
    }
    if (spec.required) {
      problem(spec, "is empty but required");
      return std::nullopt;
    }
    switch (spec.kind) {
      case FieldKind::flag:
        return "0";
      default:
        return "";
    }
  }

  std::optional<std::string> present(const FieldSpec& spec, std::string_view value) {
    if (!is_valid_utf8(value)) {
      problem(spec, "is not valid UTF-8");
      return std::nullopt;
    }
    switch (spec.kind) {
      case FieldKind::name:
        return check_short_text(spec, normalise_name(value));
      case FieldKind::text:
        return check_notes(spec, std::string(value));
      case FieldKind::email:
        return check_email(spec, std::string(trim(value)));
      case FieldKind::phone:
        return check_phone(spec, std::string(trim(value)));
      case FieldKind::date:
        return check_date(spec, trim(value));
      case FieldKind::timezone:
        return check_timezone(spec, std::string(trim(value)));
      case FieldKind::integer:
        return check_integer(spec, trim(value));
      case FieldKind::flag:
        return check_flag(spec, trim(value));
    }
    return std::nullopt;
  }

  std::optional<std::string> check_short_text(const FieldSpec& spec, std::string value) {
    if (has_control_character(value)) {
      problem(spec, "contains a control character");
      return std::nullopt;
    }
    if (code_point_count(value) > kMaxShortText) {
      problem(spec, "is longer than " + std::to_string(kMaxShortText) + " characters");
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> check_notes(const FieldSpec& spec, std::string value) {
    if (value.size() > kMaxNotesBytes) {
      problem(spec, "is longer than " + std::to_string(kMaxNotesBytes) + " bytes");
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> check_email(const FieldSpec& spec, std::string value) {
    if (!is_email_shape(value)) {
      problem(spec, "is not an email address of the form name@domain.tld");
      return std::nullopt;
    }
    return check_short_text(spec, std::move(value));
  }

  std::optional<std::string> check_phone(const FieldSpec& spec, std::string value) {
    if (!is_phone_shape(value)) {
      problem(spec, "is not a phone number (7 to 15 digits, with only spaces, +, -, ., ( and ))");
      return std::nullopt;
    }
    return check_short_text(spec, std::move(value));
  }

  std::optional<std::string> check_date(const FieldSpec& spec, std::string_view value) {
    const auto date = parse_iso_date(value);
    if (!date) {
      problem(spec, "is not a real date in the form YYYY-MM-DD");
      return std::nullopt;
    }
    if (date->year() < kEarliestBirthYear || *date > context_.today) {
      problem(spec, "is before 1900 or in the future");
      return std::nullopt;
    }
    return format_blink_date(*date);
  }

  std::optional<std::string> check_timezone(const FieldSpec& spec, std::string value) {
    if (!context_.is_known_timezone || !context_.is_known_timezone(value)) {
      problem(spec, quoted(value) + " is not a time zone name the tz database knows (such as America/Denver)");
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> check_integer(const FieldSpec& spec, std::string_view value) {
    if (!is_integer(value)) {
      problem(spec, quoted(value) + " is not a non-negative integer");
      return std::nullopt;
    }
    // Canonical digits, so that "007" compares equal to the 7 Blink returns.
    return std::to_string(std::stoll(std::string(value)));
  }

  std::optional<std::string> check_flag(const FieldSpec& spec, std::string_view value) {
    const auto flag = parse_flag(value);
    if (!flag) {
      problem(spec, quoted(value) + " is not a flag (true/false, t/f, 1/0, yes/no)");
      return std::nullopt;
    }
    return *flag ? "1" : "0";
  }

  // Returns a value in quotes, cut to 40 bytes at a character boundary.
  // Only values that cannot name a person (time zones, ids and flags) are
  // quoted, because record errors reach the logs.
  static std::string quoted(std::string_view value) {
    constexpr std::size_t kShown = 40;
    if (value.size() > kShown) {
      auto end = kShown;
      while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0U) == 0x80U) {
        --end;
      }
      return "\"" + std::string(value.substr(0, end)) + "...\"";
    }
    return "\"" + std::string(value) + "\"";
  }

  void problem(const FieldSpec& spec, std::string_view rule) {
    problems_.push_back(std::string(spec.roster_column) + " " + std::string(rule));
  }

  const ValidationContext& context_;
  std::vector<std::string>& problems_;
};

std::string read_local_id(const RosterRow& row, std::vector<std::string>& problems) {
  const auto cell = row.get("local_id");
  if (!cell || !*cell || trim(**cell).empty()) {
    problems.emplace_back("local_id is missing or empty");
    return {};
  }
  const auto id = trim(**cell);
  if (code_point_count(id) > kMaxShortText || !is_valid_utf8(id) || has_control_character(id)) {
    problems.emplace_back("local_id is not printable text of at most 255 characters");
    return {};
  }
  return std::string(id);
}

// A staff member without a display name is shown to students by full name.
void default_display_name(Entity entity, FieldValues& fields) {
  if (entity != Entity::staff) {
    return;
  }
  const auto display = *field_index(entity, "display_name");
  const auto current = fields.get(display);
  if (!current || current->empty()) {
    const auto full_name = std::string(*fields.get(*field_index(entity, "first_name"))) + " " +
                           std::string(*fields.get(*field_index(entity, "last_name")));
    fields.set(display, full_name);
  }
}

// A student the roster lists without a discharged column is active.
void default_discharged(Entity entity, FieldValues& fields) {
  if (entity != Entity::student) {
    return;
  }
  const auto discharged = *field_index(entity, "discharged");
  if (!fields.get(discharged)) {
    fields.set(discharged, "0");
  }
}

}  // namespace

std::optional<bool> parse_flag(std::string_view text) {
  static constexpr std::array<std::string_view, 6> kTrue = {"true", "t", "1", "yes", "y", "on"};
  static constexpr std::array<std::string_view, 6> kFalse = {"false", "f", "0", "no", "n", "off"};
  const auto lowered = lower_ascii(trim(text));
  if (std::find(kTrue.begin(), kTrue.end(), lowered) != kTrue.end()) {
    return true;
  }
  if (std::find(kFalse.begin(), kFalse.end(), lowered) != kFalse.end()) {
    return false;
  }
  return std::nullopt;
}

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  const auto is_digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !is_digits(text.substr(0, 4)) ||
      !is_digits(text.substr(5, 2)) || !is_digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  if (text.size() > 10 && text[10] != ' ' && text[10] != 'T') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    std::from_chars(text.data() + from, text.data() + from + length, value);
    return value;
  };
  const std::chrono::year_month_day date{std::chrono::year{number(0, 4)},
                                         std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                         std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

// Writes the digits by hand for the usual years, because snprintf took
// about 1,700 instructions per date (callgrind, plan_scale).
std::string format_blink_date(std::chrono::year_month_day date) {
  const int year = static_cast<int>(date.year());
  if (date.ok() && year >= 0 && year <= 9999) {
    std::string text = "MM/DD/YYYY";
    const auto put_digits = [&](std::size_t at, unsigned value, std::size_t count) {
      for (std::size_t i = count; i-- > 0; value /= 10) {
        text[at + i] = static_cast<char>('0' + value % 10);
      }
    };
    put_digits(0, static_cast<unsigned>(date.month()), 2);
    put_digits(3, static_cast<unsigned>(date.day()), 2);
    put_digits(6, static_cast<unsigned>(year), 4);
    return text;
  }
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(date.year()));
  return text;
}

RowResult validate_row(Entity entity, const RosterRow& row, const ValidationContext& context) {
  RowResult result;
  result.local_id = read_local_id(row, result.problems);

  DesiredRecord record{result.local_id, FieldValues(entity), {}, {}};
  RowChecker checker(context, result.problems);
  const auto specs = fields_of(entity);
  std::array<std::optional<std::optional<std::string_view>>, FieldValues::kMaxSlots> cells;
  std::size_t cell_bytes = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    cells[i] = row.get_field(entity, i);
    cell_bytes += cells[i] && *cells[i] ? (*cells[i])->size() : 0;
  }
  // Canonical values are rarely longer than their cells, so this is usually
  // the record's only allocation for its text.
  record.fields.reserve(cell_bytes);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    record.fields.set(i, checker.check(specs[i], cells[i]));
  }

  if (!result.problems.empty()) {
    return result;
  }
  default_display_name(entity, record.fields);
  default_discharged(entity, record.fields);
  const auto display = entity == Entity::staff ? field_index(entity, "display_name") : std::nullopt;
  if (display && code_point_count(*record.fields.get(*display)) > kMaxShortText) {
    result.problems.emplace_back("display_name (first_name and last_name together, when display_name is empty) "
                                 "is longer than 255 characters");
    return result;
  }
  result.record = std::move(record);
  return result;
}

}  // namespace blink_sync
