#include "mapping/write_back_values.hpp"

#include "mapping/blink_timestamp.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {
namespace {

std::optional<std::string> timestamp_value(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return sortable_timestamp(text);
}

std::optional<std::string> links_value(const std::optional<std::vector<std::int64_t>>& links) {
  if (!links) {
    return std::nullopt;
  }
  std::string array = "{";
  for (const auto id : *links) {
    array += (array.size() > 1 ? "," : "") + std::to_string(id);
  }
  return array + "}";
}

// Returns the parameter names of the set slots as a PostgreSQL text array,
// such as "{phone,user_timezone}".
std::string pulled_names(Entity entity, const FieldValues& pulled) {
  std::string array = "{";
  for (std::size_t i = 0; i < pulled.size() && i < fields_of(entity).size(); ++i) {
    if (pulled.get(i)) {
      array += (array.size() > 1 ? "," : "") + field_parameter_name(entity, i);
    }
  }
  return array + "}";
}

void add_fields(WriteBackValues& values, const FieldValues& fields) {
  for (std::size_t i = 0; i < fields.size() && i < fields_of(values.entity).size(); ++i) {
    if (const auto value = fields.get(i)) {
      values.named[field_parameter_name(values.entity, i)] = std::string(*value);
    }
  }
}

}  // namespace

std::optional<std::string> WriteBackValues::value_of(const std::string& name) const {
  if (name == "local_id") {
    return local_id;
  }
  if (name == "blink_id") {
    return std::to_string(blink_id);
  }
  if (name == "entity") {
    return std::string(entity_name(entity));
  }
  const auto found = named.find(name);
  return found == named.end() ? std::nullopt : found->second;
}

WriteBackValues changed_in_blink_values(Entity entity, const std::string& local_id, std::int64_t blink_id,
                                        const RemoteRecord* remote, const FieldValues* roster,
                                        const FieldValues& pulled) {
  auto values = write_back_values(entity, local_id, blink_id, remote);
  for (std::size_t i = 0; i < fields_of(entity).size(); ++i) {
    values.named.erase(field_parameter_name(entity, i));
  }

  if (roster != nullptr) {
    add_fields(values, *roster);
  }
  add_fields(values, pulled);
  values.named["pulled_fields"] = pulled_names(entity, pulled);
  return values;
}

WriteBackValues write_back_values(Entity entity, const std::string& local_id, std::int64_t blink_id,
                                  const RemoteRecord* remote, const FieldValues* fallback) {
  WriteBackValues values{entity, local_id, blink_id, {}};
  if (fallback != nullptr) {
    add_fields(values, *fallback);
  }
  if (remote == nullptr) {
    return values;
  }

  add_fields(values, remote->fields);
  values.named["join_by_link"] = remote->join_by_link;
  if (remote->activated) {
    values.named["activated"] = *remote->activated ? "true" : "false";
  }
  values.named["created_at"] = timestamp_value(remote->created_at);
  values.named["updated_at"] = timestamp_value(remote->updated_at);
  values.named["linked_student_ids"] = links_value(remote->linked_students);
  return values;
}

}  // namespace blink_sync
