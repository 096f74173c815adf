#include <algorithm>
#include <array>
#include <string>
#include <variant>
#include <vector>

#include "daemon/blink_edits_config.hpp"
#include "mapping/write_back_statement.hpp"
#include "daemon/blink_edits_config_reader.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {
namespace {

// The configuration's names of the entities, as in students_removed.
constexpr std::array<std::pair<const char*, Entity>, 3> kEntityKeys = {{
    {"students", Entity::student},
    {"student_logins", Entity::student_login},
    {"staff", Entity::staff},
}};

// The name that stands for the eight notification preferences together.
constexpr const char* kPreferencesKey = "notification_preferences";

std::string join_texts(const std::vector<std::string>& texts) {
  std::string joined;
  for (const auto& text : texts) {
    joined += (joined.empty() ? "" : ", ") + text;
  }
  return joined;
}

std::string quoted(const YAML::Node& value) {
  if (value.IsMap()) {
    return "a mapping";
  }
  if (value.IsSequence()) {
    return "a list";
  }
  return "\"" + value.Scalar() + "\"";
}

// Returns the text when it is one of `choices`, otherwise reports it.
std::optional<std::string> read_choice(ConfigReader& reader, const YAML::Node& value, const std::string& path,
                                       const std::vector<std::string>& choices) {
  const auto text = value.IsScalar() ? value.Scalar() : std::string();
  if (std::find(choices.begin(), choices.end(), text) != choices.end()) {
    return text;
  }
  reader.problem(path, "expected one of " + join_texts(choices) + ", got " + quoted(value));
  return std::nullopt;
}

// Returns the entity a key of field_owners or blink_only names.
std::optional<Entity> entity_of_key(ConfigReader& reader, const std::string& key, const std::string& path) {
  for (const auto& [name, entity] : kEntityKeys) {
    if (key == name) {
      return entity;
    }
  }
  reader.problem(path, "unknown entity; expected students, student_logins or staff");
  return std::nullopt;
}

std::vector<std::string> owner_keys(Entity entity) {
  std::vector<std::string> keys;
  bool preferences = false;
  for (const auto& spec : fields_of(entity)) {
    if (spec.group == FieldGroup::notification_preferences) {
      preferences = true;
      continue;
    }
    keys.emplace_back(spec.blink_key);
  }
  if (preferences) {
    keys.emplace_back(kPreferencesKey);
  }
  return keys;
}

void read_entity_owners(ConfigReader& reader, Entity entity, const YAML::Node& fields, const std::string& path,
                        FieldOwners& owners) {
  if (!fields.IsMap()) {
    reader.problem(path, "expected a mapping of Blink field names to roster or blink, got " + quoted(fields));
    return;
  }
  const auto known = owner_keys(entity);
  for (const auto& entry : fields) {
    const auto key = entry.first.Scalar();
    const auto field_path = path + "." + key;
    const auto slot = field_index(entity, key);
    if (slot && fields_of(entity)[*slot].group == FieldGroup::notification_preferences) {
      reader.problem(field_path, "the notification preferences have one owner as a group, because Blink replaces "
                                 "all eight together; set " + std::string(kPreferencesKey) + " instead");
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      reader.problem(field_path, "unknown field of " + std::string(entity_name(entity)) + " (known fields: " +
                                     join_texts(known) + ")");
      continue;
    }
    const auto owner = read_choice(reader, entry.second, field_path, {"roster", "blink"});
    if (!owner) {
      continue;
    }
    const auto blink_key = key == kPreferencesKey ? std::string("events_email") : key;
    owners.set(entity, blink_key, *owner == "blink" ? FieldOwner::blink : FieldOwner::roster);
  }
}

void read_field_owners(ConfigReader& reader, const YAML::Node& node, FieldOwners& owners) {
  if (!node || node.IsNull()) {
    return;
  }
  if (!node.IsMap()) {
    reader.problem("sync.field_owners", "expected a mapping of students, student_logins or staff, got " + quoted(node));
    return;
  }
  for (const auto& entry : node) {
    const auto path = "sync.field_owners." + entry.first.Scalar();
    if (const auto entity = entity_of_key(reader, entry.first.Scalar(), path)) {
      read_entity_owners(reader, *entity, entry.second, path, owners);
    }
  }
}

BlinkOnlyPolicy policy_of(const std::string& name) {
  if (name == "import") {
    return BlinkOnlyPolicy::import;
  }
  return name == "delete" ? BlinkOnlyPolicy::remove : BlinkOnlyPolicy::ignore;
}

// Reports a named parameter that an import statement of `entity` cannot be
// given, or text that cannot be translated.
void check_import_statement(ConfigReader& reader, Entity entity, const std::string& sql, const std::string& path) {
  const auto translated = to_positional(sql, import_parameter_names(entity));
  if (const auto* problem = std::get_if<std::string>(&translated)) {
    reader.problem(path, *problem);
  }
}

void read_entity_blink_only(ConfigReader& reader, Entity entity, const YAML::Node& value, const std::string& path,
                            BlinkOnlyConfig& config) {
  const std::vector<std::string> policies = {"ignore", "import", "delete"};
  if (!value.IsMap()) {
    if (const auto policy = read_choice(reader, value, path, policies)) {
      config.policy = policy_of(*policy);
    }
    return;
  }
  reader.check_keys(value, path, {"policy", "import_statement"});
  if (const auto policy = value["policy"]; policy && !policy.IsNull()) {
    if (const auto name = read_choice(reader, policy, path + ".policy", policies)) {
      config.policy = policy_of(*name);
    }
  }
  const auto statement = value["import_statement"];
  if (!statement || statement.IsNull()) {
    return;
  }
  if (!statement.IsScalar() || statement.Scalar().empty()) {
    reader.problem(path + ".import_statement", "expected SQL text, got " + quoted(statement));
    return;
  }
  if (config.policy != BlinkOnlyPolicy::import) {
    reader.problem(path + ".import_statement", "is only used with policy: import");
    return;
  }
  config.import_statement = statement.Scalar();
  check_import_statement(reader, entity, *config.import_statement, path + ".import_statement");
}

void read_blink_only(ConfigReader& reader, const YAML::Node& node, std::array<BlinkOnlyConfig, 3>& configs) {
  if (!node || node.IsNull()) {
    return;
  }
  if (!node.IsMap()) {
    reader.problem("sync.blink_only", "expected a mapping of students, student_logins or staff, got " + quoted(node));
    return;
  }
  for (const auto& entry : node) {
    const auto path = "sync.blink_only." + entry.first.Scalar();
    if (const auto entity = entity_of_key(reader, entry.first.Scalar(), path)) {
      read_entity_blink_only(reader, *entity, entry.second, path, configs[static_cast<std::size_t>(*entity)]);
    }
  }
}

}  // namespace

void read_blink_edits(ConfigReader& reader, const YAML::Node& sync, BlinkEditsConfig& edits) {
  read_field_owners(reader, sync["field_owners"], edits.field_owners);
  const auto policy = reader.choice(sync, "conflict_policy", {"roster_wins", "blink_wins", "report"}, "roster_wins");
  edits.conflict_policy = policy == "blink_wins" ? ConflictPolicy::blink_wins
                          : policy == "report"   ? ConflictPolicy::report
                                                 : ConflictPolicy::roster_wins;
  read_blink_only(reader, sync["blink_only"], edits.blink_only);
}

std::vector<std::string> import_parameter_names(Entity entity) {
  std::vector<std::string> names = {"blink_id", "entity", "fields"};
  for (const auto& spec : fields_of(entity)) {
    names.emplace_back(spec.roster_column);
  }
  return names;
}

}  // namespace blink_sync
