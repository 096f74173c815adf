#pragma once

#include <array>
#include <iterator>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "mapping/entity.hpp"
#include "mapping/write_back_statement.hpp"

namespace blink_sync {

class ConfigReader;

// One configured write-back statement, translated to positional
// parameters when the configuration was read.
struct WriteBackStatement {
  std::string key;  // its key path, such as write_back.staff.created, for messages
  PositionalStatement statement;
};

// The `write_back:` section: at most one statement per entity and event.
struct WriteBackConfig {
  std::array<std::array<std::optional<WriteBackStatement>, std::size(kWriteBackEvents)>, 3> statements;

  // Returns the statement for an entity and event, or nullptr.
  const WriteBackStatement* find(Entity entity, WriteBackEvent event) const;
  bool empty() const;
};

// Reads `write_back:` (entities students, student_logins and staff, each
// with the events created, adopted, changed_in_blink and removed). Every
// unknown key, unknown parameter and unterminated quote is reported through
// `reader` with its key path.
WriteBackConfig read_write_back(ConfigReader& reader, const YAML::Node& root);

// Returns the configuration key of an entity's statements: students,
// student_logins or staff.
std::string write_back_entity_key(Entity entity);

}  // namespace blink_sync
