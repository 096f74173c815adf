#include "mapping/blink_payload.hpp"

#include <algorithm>

namespace blink_sync {

nlohmann::json build_payload(Entity entity, const FieldValues& fields,
                             const std::optional<std::vector<std::int64_t>>& linked_students, PayloadKind kind) {
  nlohmann::json payload = nlohmann::json::object();
  const auto specs = fields_of(entity);
  for (std::size_t i = 0; i < specs.size() && i < fields.size(); ++i) {
    const auto value = fields.get(i);
    if (!value) {
      continue;
    }
    const auto key = std::string(specs[i].blink_key);
    switch (specs[i].kind) {
      case FieldKind::flag:
        payload[key] = *value == "1" ? 1 : 0;
        break;
      case FieldKind::integer:
        if (value->empty() && kind == PayloadKind::create) {
          break;
        }
        payload[key] = value->empty() ? nlohmann::json(nullptr) : nlohmann::json(std::stoll(std::string(*value)));
        break;
      default:
        payload[key] = *value;
        break;
    }
  }
  if (linked_students) {
    payload["linked_student_ids"] = join_ids(*linked_students);
  }
  return payload;
}

std::string join_ids(std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string joined;
  for (const auto id : ids) {
    if (!joined.empty()) {
      joined += ',';
    }
    joined += std::to_string(id);
  }
  return joined;
}

}  // namespace blink_sync
