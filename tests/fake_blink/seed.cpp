#include "seed.hpp"

#include <stdexcept>
#include <string>

#include "http_types.hpp"
#include "payload.hpp"
#include "staff_api.hpp"
#include "student_logins_api.hpp"
#include "students_api.hpp"
#include "timestamps.hpp"

namespace fake_blink {
namespace {

using nlohmann::json;

const json& record_list(const json& document, const char* key) {
  static const json empty = json::array();
  const auto found = document.find(key);
  if (found == document.end()) {
    return empty;
  }
  if (!found->is_array()) {
    throw validation_error(std::string{key} + " must be a JSON array");
  }
  return *found;
}

// Sets created_at and updated_at when the record carries them.
template <typename Record>
void apply_timestamps(const json& record, Record& stored) {
  for (const auto& [key, field] : {std::pair{"created_at", &Record::created_at},
                                   std::pair{"updated_at", &Record::updated_at}}) {
    if (!record.contains(key)) {
      continue;
    }
    const json& value = record[key];
    const auto time =
        value.is_string() ? parse_plain_timestamp(value.get<std::string>()) : std::nullopt;
    if (!time) {
      throw validation_error(std::string{key} + " must be \"YYYY-MM-DD HH:MM:SS\"");
    }
    stored.*field = *time;
  }
}

// Returns `record` with linked_student_indexes turned into student ids
// appended to linked_student_ids.
json resolve_student_indexes(const json& record, const json& student_ids) {
  const auto indexes = record.find("linked_student_indexes");
  if (indexes == record.end()) {
    return record;
  }

  auto ids = Payload{record}.id_list("linked_student_ids").value_or(std::vector<std::int64_t>{});
  for (const json& index : *indexes) {
    if (!index.is_number_unsigned() || index.get<std::size_t>() >= student_ids.size()) {
      throw validation_error("linked_student_indexes must be positions in the students list");
    }
    ids.push_back(student_ids[index.get<std::size_t>()].get<std::int64_t>());
  }

  json resolved = record;
  resolved["linked_student_ids"] = ids;
  return resolved;
}

void apply_user_extras(const json& record, User& user) {
  if (record.contains("activated")) {
    const json& activated = record["activated"];
    if (activated != "Yes" && activated != "No") {
      throw validation_error("activated must be \"Yes\" or \"No\"");
    }
    user.activated = activated.get<std::string>();
  }
  apply_timestamps(record, user);
}

json seed_all(const ApiContext& context, const json& document, std::string& position) {
  json ids = {{"students", json::array()}, {"staff", json::array()}, {"student_logins", json::array()}};

  for (const json& record : record_list(document, "students")) {
    position = "students[" + std::to_string(ids["students"].size()) + "]";
    Student& student = create_student(context, Payload{record});
    apply_timestamps(record, student);
    ids["students"].push_back(student.id);
  }

  for (const json& record : record_list(document, "staff")) {
    position = "staff[" + std::to_string(ids["staff"].size()) + "]";
    User& staff = create_staff(context, Payload{resolve_student_indexes(record, ids["students"])});
    apply_user_extras(record, staff);
    ids["staff"].push_back(staff.id);
  }

  for (const json& record : record_list(document, "student_logins")) {
    position = "student_logins[" + std::to_string(ids["student_logins"].size()) + "]";
    User& login = create_student_login(context, Payload{resolve_student_indexes(record, ids["students"])});
    apply_user_extras(record, login);
    ids["student_logins"].push_back(login.id);
  }
  return ids;
}

}  // namespace

json seed_store(const ApiContext& context, const json& document) {
  if (!document.is_object()) {
    throw std::invalid_argument("seed body must be a JSON object");
  }

  const Store before = context.store;
  std::string position = "seed";
  try {
    return seed_all(context, document, position);
  } catch (const ApiError& error) {
    context.store = before;
    throw std::invalid_argument(position + ": " + error.what());
  } catch (const json::exception& error) {
    context.store = before;
    throw std::invalid_argument(position + ": " + error.what());
  }
}

}  // namespace fake_blink
