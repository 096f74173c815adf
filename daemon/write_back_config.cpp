#include "daemon/write_back_config.hpp"

#include <algorithm>

#include "daemon/config_reader.hpp"

namespace blink_sync {

const WriteBackStatement* WriteBackConfig::find(Entity entity, WriteBackEvent event) const {
  const auto& slot = statements[static_cast<std::size_t>(entity)][static_cast<std::size_t>(event)];
  return slot ? &*slot : nullptr;
}

bool WriteBackConfig::empty() const {
  return std::all_of(statements.begin(), statements.end(), [](const auto& events) {
    return std::all_of(events.begin(), events.end(), [](const auto& slot) { return !slot.has_value(); });
  });
}

std::string write_back_entity_key(Entity entity) {
  switch (entity) {
    case Entity::student:
      return "students";
    case Entity::student_login:
      return "student_logins";
    case Entity::staff:
      return "staff";
  }
  return "students";
}

WriteBackConfig read_write_back(ConfigReader& reader, const YAML::Node& root) {
  WriteBackConfig config;
  const auto node = reader.section(root, "write_back", {"students", "student_logins", "staff"});

  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    // The reader names keys by their section, so each entity is read as a
    // section called write_back.<entity>.
    const auto entity_node = node[write_back_entity_key(entity)];
    if (!entity_node) {
      continue;
    }
    const auto path = "write_back." + write_back_entity_key(entity);
    YAML::Node wrapper(YAML::NodeType::Map);
    wrapper[path] = entity_node;
    const auto statements = reader.section(wrapper, path, {"created", "adopted", "changed_in_blink", "removed"});

    const auto names = write_back_parameter_names(entity);
    for (const auto event : kWriteBackEvents) {
      const auto event_key = std::string(write_back_event_name(event));
      const auto text = reader.optional_text(statements, event_key);
      if (!text) {
        continue;
      }
      const auto key = path + "." + event_key;
      auto translated = to_positional(*text, names);
      if (const auto* problem = std::get_if<std::string>(&translated)) {
        reader.problem(key, *problem);
        continue;
      }
      config.statements[static_cast<std::size_t>(entity)][static_cast<std::size_t>(event)] =
          WriteBackStatement{key, std::get<PositionalStatement>(std::move(translated))};
    }
  }
  return config;
}

}  // namespace blink_sync
