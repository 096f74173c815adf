#include "mapping/blink_decode.hpp"

#include <algorithm>
#include <charconv>

namespace blink_sync {
namespace {

using nlohmann::json;

// Blink's responses nest a handful of levels (body, data, record, linked
// records, a timestamp object). A deeper body is broken or hostile, and
// nlohmann::json copies and dumps a value recursively, so a body of a few
// hundred kilobytes of brackets would overflow the stack.
constexpr std::size_t kMaxNestingDepth = 64;

// Returns true when arrays and objects in `text` nest deeper than `limit`.
// Brackets inside strings do not count.
bool nests_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        return true;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// Thrown inside the decoder only, turned into a DecodeError at its edge.
struct FieldTypeError {
  std::string message;
};

std::optional<std::int64_t> read_integer(const json& value) {
  if (value.is_number_integer()) {
    return value.get<std::int64_t>();
  }
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (number >= -9.0e15 && number <= 9.0e15 && number == static_cast<double>(static_cast<std::int64_t>(number))) {
      return static_cast<std::int64_t>(number);
    }
    return std::nullopt;
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::int64_t number = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, number);
    if (!text.empty() && error == std::errc{} && stop == end) {
      return number;
    }
  }
  return std::nullopt;
}

// Reads a text field; null and a missing key are empty.
std::string read_text(const json& item, std::string_view key) {
  const auto found = item.find(key);
  if (found == item.end() || found->is_null()) {
    return {};
  }
  if (found->is_string()) {
    return found->get<std::string>();
  }
  if (found->is_number()) {
    return found->dump();
  }
  throw FieldTypeError{std::string(key) + " is neither text nor null"};
}

// Reads a 1/0 flag written as a number, a boolean, a string or null (off).
std::string read_flag(const json& value, std::string_view key) {
  if (value.is_null()) {
    return "0";
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "1" : "0";
  }
  const auto number = read_integer(value);
  if (number && (*number == 0 || *number == 1)) {
    return *number == 1 ? "1" : "0";
  }
  throw FieldTypeError{std::string(key) + " is not a 1/0 flag"};
}

std::string read_flag_field(const json& item, std::string_view key) {
  const auto found = item.find(key);
  return found == item.end() ? "0" : read_flag(*found, key);
}

std::string read_integer_field(const json& item, std::string_view key) {
  const auto found = item.find(key);
  if (found == item.end() || found->is_null() || (found->is_string() && found->get_ref<const std::string&>().empty())) {
    return {};
  }
  const auto number = read_integer(*found);
  if (!number) {
    throw FieldTypeError{std::string(key) + " is not an integer"};
  }
  return std::to_string(*number);
}

std::optional<std::vector<std::int64_t>> read_linked_ids(const json& item,
                                                         std::initializer_list<std::string_view> keys) {
  for (const auto key : keys) {
    const auto found = item.find(key);
    if (found == item.end()) {
      continue;
    }
    std::vector<std::int64_t> ids;
    if (found->is_null()) {
      return ids;
    }
    if (!found->is_array()) {
      throw FieldTypeError{std::string(key) + " is not a list"};
    }
    for (const auto& linked : *found) {
      const auto id = linked.is_object() && linked.contains("id") ? read_id(linked["id"]) : std::nullopt;
      if (!id) {
        throw FieldTypeError{std::string(key) + " has an entry without a numeric id"};
      }
      ids.push_back(*id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }
  return std::nullopt;
}

// Blink documents MM/DD/YYYY; an ISO date is converted so it compares equal.
std::string to_blink_date(const std::string& text) {
  const bool iso = text.size() >= 10 && text[4] == '-' && text[7] == '-';
  if (!iso) {
    return text;
  }
  return text.substr(5, 2) + "/" + text.substr(8, 2) + "/" + text.substr(0, 4);
}

void set(FieldValues& fields, Entity entity, std::string_view key, std::string value) {
  fields.set(*field_index(entity, key), value);
}

void decode_student(const json& item, RemoteRecord& record) {
  constexpr auto entity = Entity::student;
  for (const auto key : {"first_name", "last_name", "date_of_birth", "student_timezone", "notes"}) {
    set(record.fields, entity, key, read_text(item, key));
  }
  const auto born = *field_index(entity, "date_of_birth");
  record.fields.set(born, to_blink_date(std::string(*record.fields.get(born))));
  set(record.fields, entity, "location_id", read_integer_field(item, "location_id"));
  set(record.fields, entity, "discharged", read_flag_field(item, "discharged"));
}

void decode_student_login(const json& item, RemoteRecord& record) {
  constexpr auto entity = Entity::student_login;
  for (const auto key : {"first_name", "last_name", "email", "phone"}) {
    set(record.fields, entity, key, read_text(item, key));
  }
  record.linked_students = read_linked_ids(item, {"students"});

  const auto prefs = item.find("notificationPrefs");
  if (prefs == item.end() || prefs->is_null()) {
    return;
  }
  if (!prefs->is_object()) {
    throw FieldTypeError{"notificationPrefs is not an object"};
  }
  for (const auto& spec : fields_of(entity)) {
    if (spec.group == FieldGroup::notification_preferences) {
      set(record.fields, entity, spec.blink_key, read_flag_field(*prefs, spec.blink_key));
    }
  }
}

// A permission is on when Blink lists it with any right granted.
void decode_permissions(const json& permissions, RemoteRecord& record) {
  constexpr auto entity = Entity::staff;
  if (!permissions.is_array()) {
    throw FieldTypeError{"permissions is not a list"};
  }
  for (const auto& spec : fields_of(entity)) {
    if (spec.kind == FieldKind::flag) {
      set(record.fields, entity, spec.blink_key, "0");
    }
  }
  for (const auto& permission : permissions) {
    const auto name = permission.is_object() ? read_text(permission, "name") : std::string();
    const auto index = field_index(entity, name);
    if (!index || fields_of(entity)[*index].kind != FieldKind::flag) {
      continue;
    }
    bool granted = false;
    for (const auto right : {"get", "post", "update", "delete"}) {
      granted = granted || read_flag_field(permission, right) == "1";
    }
    const bool listed_without_rights = !permission.contains("get") && !permission.contains("post");
    record.fields.set(*index, (granted || listed_without_rights) ? "1" : "0");
  }
}

// Reads Blink's "activated" ("Yes" or "No"; a boolean or 1/0 is read too).
// A missing key, null or any other value leaves it unknown rather than
// making the whole record unreadable, because the sync does not need it.
std::optional<bool> read_activated(const json& item) {
  const auto found = item.find("activated");
  if (found == item.end() || found->is_null()) {
    return std::nullopt;
  }
  if (found->is_string()) {
    const auto& text = found->get_ref<const std::string&>();
    if (text == "Yes" || text == "yes") {
      return true;
    }
    if (text == "No" || text == "no") {
      return false;
    }
  }
  if (found->is_boolean()) {
    return found->get<bool>();
  }
  const auto number = read_integer(*found);
  if (number && (*number == 0 || *number == 1)) {
    return *number == 1;
  }
  return std::nullopt;
}

// Reads the values only Blink has. They are decoded apart from the fields,
// so a record from an older response without them still decodes.
void decode_blink_only(Entity entity, const json& item, RemoteRecord& record) {
  if (entity != Entity::student) {
    record.activated = read_activated(item);
  }
  const auto link = item.find("join_by_link");
  if (entity == Entity::staff && link != item.end() && link->is_string()) {
    record.join_by_link = link->get<std::string>();
  }
  record.created_at = item.contains("created_at") ? read_timestamp_text(item["created_at"]) : "";
}

void decode_staff(const json& item, RemoteRecord& record) {
  constexpr auto entity = Entity::staff;
  for (const auto key : {"first_name", "last_name", "display_name", "email", "phone", "user_timezone"}) {
    set(record.fields, entity, key, read_text(item, key));
  }
  record.linked_students = read_linked_ids(item, {"students", "studentsWithLinkedStudentLogins"});

  const auto permissions = item.find("permissions");
  if (permissions != item.end() && !permissions->is_null()) {
    decode_permissions(*permissions, record);
  }
}

}  // namespace

std::variant<json, DecodeError> parse_body(std::string_view body) {
  if (nests_deeper_than(body, kMaxNestingDepth)) {
    return DecodeError{"the response body nests arrays and objects deeper than " + std::to_string(kMaxNestingDepth) +
                           " levels",
                       std::nullopt};
  }
  auto parsed = json::parse(body.begin(), body.end(), nullptr, false);
  if (parsed.is_discarded()) {
    return DecodeError{"the response body is not valid JSON", std::nullopt};
  }
  return parsed;
}

std::variant<ListPage, DecodeError> decode_list_page(const json& body) {
  if (!body.is_object()) {
    return DecodeError{"the response is not a JSON object", std::nullopt};
  }
  const auto data = body.find("data");
  if (data == body.end() || !data->is_array()) {
    return DecodeError{"the response has no \"data\" list", std::nullopt};
  }

  const auto meta = body.find("meta");
  const json* pagination = nullptr;
  if (meta != body.end() && meta->is_object() && meta->contains("pagination")) {
    pagination = &(*meta)["pagination"];
  }
  if (pagination == nullptr || !pagination->is_object()) {
    return DecodeError{"the response has no meta.pagination object", std::nullopt};
  }

  ListPage page;
  const auto number = [&](std::string_view key) {
    const auto found = pagination->find(key);
    return found == pagination->end() ? std::nullopt : read_integer(*found);
  };
  const auto total_count = number("total_count");
  const auto total_pages = number("total_pages");
  const auto current_page = number("current_page");
  const auto limit = number("limit");
  if (!total_count || !total_pages || !current_page || !limit || *total_count < 0 || *total_pages < 0) {
    return DecodeError{"meta.pagination lacks a numeric total_count, total_pages, current_page or limit",
                       std::nullopt};
  }
  page.pagination = Pagination{*total_count, *total_pages, *current_page, *limit};
  page.items.assign(data->begin(), data->end());
  return page;
}

std::variant<RemoteRecord, DecodeError> decode_record(Entity entity, const json& item) {
  if (!item.is_object()) {
    return DecodeError{"a record is not a JSON object", std::nullopt};
  }
  const auto id = item.contains("id") ? read_id(item["id"]) : std::nullopt;
  if (!id || *id <= 0) {
    return DecodeError{"a record has no positive numeric id", std::nullopt};
  }

  RemoteRecord record;
  record.id = *id;
  record.fields = FieldValues(entity);
  try {
    switch (entity) {
      case Entity::student:
        decode_student(item, record);
        break;
      case Entity::student_login:
        decode_student_login(item, record);
        break;
      case Entity::staff:
        decode_staff(item, record);
        break;
    }
    record.updated_at = item.contains("updated_at") ? read_timestamp_text(item["updated_at"]) : "";
    decode_blink_only(entity, item, record);
  } catch (const FieldTypeError& error) {
    return DecodeError{error.message, id};
  }
  return record;
}

std::string status_message(std::string_view body) {
  const auto result = parse_body(body);
  const auto* parsed = std::get_if<json>(&result);
  if (parsed == nullptr || !parsed->is_object()) {
    return {};
  }
  const auto status = parsed->find("status");
  if (status == parsed->end() || !status->is_object()) {
    return {};
  }
  const auto message = status->find("message");
  return message != status->end() && message->is_string() ? message->get<std::string>() : std::string();
}

std::optional<std::int64_t> read_id(const json& value) { return read_integer(value); }

std::string read_timestamp_text(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_object()) {
    const auto date = value.find("date");
    if (date != value.end() && date->is_string()) {
      return date->get<std::string>();
    }
  }
  return {};
}

}  // namespace blink_sync
