#include "mapping/roster_columns.hpp"

#include "mapping/fields.hpp"

namespace blink_sync {

std::vector<std::string> required_record_columns(Entity entity, bool has_default_timezone) {
  std::vector<std::string> required = {"local_id"};
  for (const auto& spec : fields_of(entity)) {
    const bool defaulted = spec.kind == FieldKind::timezone && has_default_timezone;
    if (spec.required && !defaulted) {
      required.emplace_back(spec.roster_column);
    }
  }
  return required;
}

std::vector<std::string> required_link_columns(LinkKind kind) {
  const auto* owner = kind == LinkKind::staff_students ? "staff_local_id" : "login_local_id";
  return {owner, "student_local_id"};
}

std::vector<std::string> missing_columns(const ColumnSet& columns, const std::vector<std::string>& required) {
  std::vector<std::string> missing;
  for (const auto& name : required) {
    if (!columns.find(name)) {
      missing.push_back(name);
    }
  }
  return missing;
}

}  // namespace blink_sync
