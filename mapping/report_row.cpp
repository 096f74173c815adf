#include "mapping/report_row.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <span>

#include "mapping/blink_decode.hpp"
#include "mapping/blink_timestamp.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

// Kind of a report value: how it is parsed and which columns it fills.
enum class ValueKind {
  integer,  // one bigint column
  text,     // one text column
  flag,     // one boolean column: 1/0, true/false or "Yes"/"No"
  time,     // <column>_at timestamptz and <column>_text as sent
  id_list,  // <column> bigint[] and <column>_text as sent
};

struct ReportField {
  std::string_view key;     // the key in Blink's row
  std::string_view column;  // the column, or the stem of two columns
  ValueKind kind;
};

// The keys of each report that get typed columns. Every other key (such as
// possible_matching_sessions) is kept in the raw column only.
constexpr std::array kEventFields = {
    ReportField{"start", "start", ValueKind::time},
    ReportField{"end", "end", ValueKind::time},
    ReportField{"allDay", "all_day", ValueKind::flag},
    ReportField{"status", "status", ValueKind::text},
    ReportField{"type_id", "type_id", ValueKind::integer},
    ReportField{"type_name", "type_name", ValueKind::text},
    ReportField{"title", "title", ValueKind::text},
    ReportField{"staff_id", "staff_id", ValueKind::integer},
    ReportField{"staff_name", "staff_name", ValueKind::text},
    ReportField{"student_connected_event", "student_connected", ValueKind::flag},
    ReportField{"created_at", "blink_created", ValueKind::time},
    ReportField{"updated_at", "blink_updated", ValueKind::time},
};

constexpr std::array kSessionFields = {
    ReportField{"session_id", "session_id", ValueKind::integer},
    ReportField{"session_created_at", "session_created", ValueKind::time},
    ReportField{"staff_joined_session", "staff_joined", ValueKind::time},
    ReportField{"student_joined_session", "student_joined", ValueKind::time},
    ReportField{"length", "session_length", ValueKind::text},
    ReportField{"staff_id", "staff_id", ValueKind::integer},
    ReportField{"staff_name", "staff_name", ValueKind::text},
    ReportField{"student_ids", "student_ids", ValueKind::id_list},
    ReportField{"student_names", "student_names", ValueKind::text},
    ReportField{"session_recording_min", "recording_minutes", ValueKind::integer},
    ReportField{"session_recording_deleted_at", "recording_deleted", ValueKind::time},
    ReportField{"session_recording_visible_to_student", "recording_visible_to_student", ValueKind::flag},
};

// Values quoted in problems are cut to this many bytes.
constexpr std::size_t kMaxQuotedValue = 60;

std::span<const ReportField> fields_of(ReportKind kind) {
  if (kind == ReportKind::events) {
    return kEventFields;
  }
  return kSessionFields;
}

std::vector<ReportColumn> build_columns(ReportKind kind) {
  std::vector<ReportColumn> columns;
  for (const auto& field : fields_of(kind)) {
    const std::string stem(field.column);
    switch (field.kind) {
      case ValueKind::integer:
        columns.push_back({stem, "bigint"});
        break;
      case ValueKind::text:
        columns.push_back({stem, "text"});
        break;
      case ValueKind::flag:
        columns.push_back({stem, "boolean"});
        break;
      case ValueKind::time:
        columns.push_back({stem + "_at", "timestamptz"});
        columns.push_back({stem + "_text", "text"});
        break;
      case ValueKind::id_list:
        columns.push_back({stem, "bigint[]"});
        columns.push_back({stem + "_text", "text"});
        break;
    }
  }
  return columns;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return result;
}

std::string quoted(const json& value) {
  auto text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.size() > kMaxQuotedValue) {
    text = text.substr(0, kMaxQuotedValue) + "...";
  }
  return "\"" + text + "\"";
}

bool is_blank(const json& value) {
  return value.is_null() || (value.is_string() && trim(value.get_ref<const std::string&>()).empty());
}

std::string as_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::optional<date::local_seconds> make_local(int year, int month, int day, int hour, int minute, int second) {
  const date::year_month_day calendar_day{date::year{year}, date::month{static_cast<unsigned>(month)},
                                          date::day{static_cast<unsigned>(day)}};
  if (!calendar_day.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  return date::local_days{calendar_day} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

// "2018-1-31, 10:07 am": the sessions report's shape, month and day
// without leading zeros, 12-hour clock.
std::optional<date::local_seconds> from_numeric_with_meridiem(const std::string& text) {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  std::array<char, 3> meridiem{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d, %d:%d %2s%n", &year, &month, &day, &hour, &minute, meridiem.data(),
                  &consumed) != 6 ||
      static_cast<std::size_t>(consumed) != text.size()) {
    return std::nullopt;
  }
  const auto half = lower(meridiem.data());
  if (hour < 1 || hour > 12 || (half != "am" && half != "pm")) {
    return std::nullopt;
  }
  return make_local(year, month, day, (hour % 12) + (half == "pm" ? 12 : 0), minute, 0);
}

// The calendar checks that sortable_timestamp leaves out (30 February).
std::optional<date::local_seconds> from_sortable(const std::string& sortable) {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (std::sscanf(sortable.c_str(), "%d-%d-%d %d:%d:%d", &year, &month, &day, &hour, &minute, &second) != 6) {
    return std::nullopt;
  }
  return make_local(year, month, day, hour, minute, second);
}

std::string format_utc(date::sys_seconds instant) { return date::format("%Y-%m-%d %H:%M:%S+00", instant); }

// Collects the column values of one row and the problems met on the way.
class RowDecoder {
 public:
  RowDecoder(ReportKind kind, std::int64_t id, const date::time_zone& zone) : kind_(kind), id_(id), zone_(zone) {}

  void add(const ReportField& field, const json* value) {
    const json null_value;
    const json& given = value == nullptr ? null_value : *value;
    switch (field.kind) {
      case ValueKind::integer:
        values_.push_back(read_integer_value(field, given));
        break;
      case ValueKind::text:
        values_.push_back(given.is_null() ? std::nullopt : std::optional(as_text(given)));
        break;
      case ValueKind::flag:
        values_.push_back(read_flag_value(field, given));
        break;
      case ValueKind::time:
        values_.push_back(read_time_value(field, given));
        values_.push_back(given.is_null() ? std::nullopt : std::optional(read_time_text(given)));
        break;
      case ValueKind::id_list:
        values_.push_back(read_id_list_value(field, given));
        values_.push_back(given.is_null() ? std::nullopt : std::optional(as_text(given)));
        break;
    }
  }

  std::vector<std::optional<std::string>> take_values() { return std::move(values_); }
  std::vector<std::string> take_problems() { return std::move(problems_); }

 private:
  void problem(const ReportField& field, const json& value, std::string_view expected) {
    problems_.push_back("report " + std::string(report_name(kind_)) + " row " + std::to_string(id_) + ": " +
                        std::string(field.key) + " " + quoted(value) + " is not " + std::string(expected) +
                        "; its column is left empty and the value is kept in the row's raw JSON");
  }

  std::optional<std::string> read_integer_value(const ReportField& field, const json& value) {
    if (is_blank(value)) {
      return std::nullopt;
    }
    const auto number = value.is_string() ? read_id(json(std::string(trim(value.get_ref<const std::string&>()))))
                                          : read_id(value);
    if (!number) {
      problem(field, value, "a whole number");
      return std::nullopt;
    }
    return std::to_string(*number);
  }

  std::optional<std::string> read_flag_value(const ReportField& field, const json& value) {
    if (is_blank(value)) {
      return std::nullopt;
    }
    if (value.is_boolean()) {
      return value.get<bool>() ? "true" : "false";
    }
    const auto text = lower(trim(as_text(value)));
    if (text == "1" || text == "yes" || text == "true") {
      return "true";
    }
    if (text == "0" || text == "no" || text == "false") {
      return "false";
    }
    problem(field, value, "a flag (1/0 or Yes/No)");
    return std::nullopt;
  }

  static std::string read_time_text(const json& value) {
    const auto text = read_timestamp_text(value);
    return text.empty() && !value.is_string() ? value.dump() : text;
  }

  std::optional<std::string> read_time_value(const ReportField& field, const json& value) {
    if (is_blank(value)) {
      return std::nullopt;
    }
    const auto local = parse_report_local_time(read_timestamp_text(value));
    if (!local) {
      problem(field, value, "a date and time in a shape Blink writes (such as \"2018-04-05 08:15:00\")");
      return std::nullopt;
    }
    return format_utc(zone_.to_sys(*local, date::choose::earliest));
  }

  std::optional<std::string> read_id_list_value(const ReportField& field, const json& value) {
    if (value.is_null()) {
      return std::nullopt;
    }
    std::vector<std::int64_t> ids;
    bool readable = true;
    if (value.is_array()) {
      for (const auto& element : value) {
        const auto id = read_id(element);
        readable = readable && id.has_value();
        ids.push_back(id.value_or(0));
      }
    } else if (value.is_string()) {
      std::string_view rest = value.get_ref<const std::string&>();
      while (readable && !trim(rest).empty()) {
        const auto comma = rest.find(',');
        const auto id = read_id(json(std::string(trim(rest.substr(0, comma)))));
        readable = id.has_value();
        ids.push_back(id.value_or(0));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    } else {
      const auto id = read_id(value);
      readable = id.has_value();
      ids.push_back(id.value_or(0));
    }
    if (!readable) {
      problem(field, value, "a list of whole numbers separated by commas");
      return std::nullopt;
    }

    std::string array = "{";
    for (const auto id : ids) {
      array += (array.size() > 1 ? "," : "") + std::to_string(id);
    }
    return array + "}";
  }

  ReportKind kind_;
  std::int64_t id_;
  const date::time_zone& zone_;
  std::vector<std::optional<std::string>> values_;
  std::vector<std::string> problems_;
};

}  // namespace

std::string_view report_name(ReportKind kind) { return kind == ReportKind::events ? "events" : "sessions"; }

std::optional<ReportKind> report_from_name(std::string_view name) {
  for (const auto kind : kReportKinds) {
    if (report_name(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

const std::vector<ReportColumn>& report_columns(ReportKind kind) {
  static const std::vector<ReportColumn> events = build_columns(ReportKind::events);
  static const std::vector<ReportColumn> sessions = build_columns(ReportKind::sessions);
  return kind == ReportKind::events ? events : sessions;
}

std::optional<date::local_seconds> parse_report_local_time(std::string_view text) {
  const std::string trimmed(trim(text));
  if (const auto sortable = sortable_timestamp(trimmed)) {
    return from_sortable(*sortable);
  }
  return from_numeric_with_meridiem(trimmed);
}

DecodedReportRow decode_report_row(ReportKind kind, const json& item, const date::time_zone& zone) {
  DecodedReportRow decoded;
  const auto id = item.is_object() && item.contains("id") ? read_id(item["id"]) : std::nullopt;
  if (!id || *id <= 0) {
    decoded.problems.push_back("report " + std::string(report_name(kind)) +
                               ": a row has no positive numeric id, so it cannot be stored; it is skipped");
    return decoded;
  }

  RowDecoder decoder(kind, *id, zone);
  for (const auto& field : fields_of(kind)) {
    const auto found = item.find(field.key);
    decoder.add(field, found == item.end() ? nullptr : &*found);
  }
  decoded.row = ReportRow{*id, decoder.take_values(), item};
  decoded.problems = decoder.take_problems();
  return decoded;
}

}  // namespace blink_sync
