#include "daemon/config_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>

namespace blink_sync {
namespace {

// Levenshtein distance, to suggest the key a typo meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Suggests the nearest known key. A long key may differ in more letters
// and still be the one meant (reconcile_interval_secs), so the allowed
// distance grows with the length: 2 edits, or one in four letters.
std::string suggestion(const std::string& key, std::initializer_list<const char*> known_keys) {
  std::string best;
  std::size_t best_distance = 0;
  for (const char* known : known_keys) {
    const auto distance = edit_distance(key, known);
    const auto allowed = std::max<std::size_t>(2, std::min(key.size(), std::strlen(known)) / 4);
    if (distance <= allowed && (best.empty() || distance < best_distance)) {
      best = known;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : "; did you mean \"" + best + "\"?";
}

// A secret written straight into the file is pointed to where it belongs.
std::string secret_hint(const std::string& key) {
  if (key != "token" && key != "api_token" && key != "password") {
    return "";
  }
  return ". Secrets do not go in this file: put the API token in the file named by blink.token_file "
         "(mode 600) or in BLINK_SYNC_TOKEN, and a database password in ~/.pgpass or BLINK_SYNC_DATABASE_URL";
}

std::string known_list(std::initializer_list<const char*> known_keys) {
  std::string list;
  for (const char* known : known_keys) {
    list += (list.empty() ? "" : ", ") + std::string(known);
  }
  return list;
}

}  // namespace

YAML::Node ConfigReader::section(const YAML::Node& root, const std::string& name,
                                 std::initializer_list<const char*> known_keys) {
  section_ = name;
  const auto node = root[name];
  if (!node || node.IsNull()) {
    return YAML::Node(YAML::NodeType::Map);
  }
  if (!node.IsMap()) {
    problem(name, "expected a mapping of keys (" + known_list(known_keys) + ")");
    return YAML::Node(YAML::NodeType::Map);
  }
  check_keys(node, name, known_keys);
  return node;
}

// yaml-cpp keeps both entries of a key written twice. A lookup returns the
// first and a walk visits both, so each later copy is reported, at any
// depth, instead of one of them silently winning.
// A configuration nests five levels and contains a few hundred nodes, so the
// walk stops at 32 levels or 10,000 nodes. Aliases share nodes, and a file
// of nested aliases would otherwise make the walk exponential.
void ConfigReader::check_repeated_keys(const YAML::Node& root) {
  std::size_t budget = 10'000;
  walk_for_repeated_keys(root, "", 0, budget);
}

void ConfigReader::walk_for_repeated_keys(const YAML::Node& node, const std::string& path, int depth,
                                          std::size_t& budget) {
  constexpr int kMaxDepth = 32;
  if (depth > kMaxDepth || budget == 0) {
    return;
  }
  --budget;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      walk_for_repeated_keys(node[i], path + "[" + std::to_string(i) + "]", depth + 1, budget);
    }
    return;
  }
  if (!node.IsMap()) {
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const auto key = entry.first.Scalar();
    const auto full = path.empty() ? key : path + "." + key;
    if (!seen.insert(key).second) {
      problem(full, "written twice; keep one");
      continue;
    }
    walk_for_repeated_keys(entry.second, full, depth + 1, budget);
  }
}

void ConfigReader::check_keys(const YAML::Node& node, const std::string& path,
                              std::initializer_list<const char*> known_keys) {
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const auto key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      continue;  // check_repeated_keys reports it
    }
    const bool known = std::any_of(known_keys.begin(), known_keys.end(),
                                   [&](const char* candidate) { return key == candidate; });
    if (!known) {
      const auto full = path.empty() ? key : path + "." + key;
      problem(full, "unknown key" + suggestion(key, known_keys) + " (known keys: " + known_list(known_keys) + ")" +
                        secret_hint(key));
    }
  }
}

std::string ConfigReader::required_text(const YAML::Node& node, const std::string& key, bool secret) {
  const auto value = node[key];
  if (!value || value.IsNull()) {
    problem(path_of(key), "required key is missing");
    return {};
  }
  if (!value.IsScalar() || value.Scalar().empty()) {
    problem(path_of(key), "expected non-empty text" + (secret ? std::string() : ", got " + describe(value)));
    return {};
  }
  return value.Scalar();
}

std::optional<std::string> ConfigReader::optional_text(const YAML::Node& node, const std::string& key) {
  const auto value = node[key];
  if (!value || value.IsNull()) {
    return std::nullopt;
  }
  if (!value.IsScalar() || value.Scalar().empty()) {
    problem(path_of(key), "expected non-empty text or null, got " + describe(value));
    return std::nullopt;
  }
  return value.Scalar();
}

int ConfigReader::integer(const YAML::Node& node, const std::string& key, int fallback, int minimum,
                          int maximum) {
  const auto value = node[key];
  if (!value || value.IsNull()) {
    return fallback;
  }
  int number = 0;
  const auto& text = value.IsScalar() ? value.Scalar() : std::string();
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  const bool parsed = value.IsScalar() && !text.empty() && error == std::errc{} && end == text.data() + text.size();
  if (!parsed || number < minimum || number > maximum) {
    problem(path_of(key), "expected an integer from " + std::to_string(minimum) + " to " +
                              std::to_string(maximum) + ", got " + describe(value));
    return fallback;
  }
  return number;
}

bool ConfigReader::boolean(const YAML::Node& node, const std::string& key, bool fallback) {
  const auto value = node[key];
  if (!value || value.IsNull()) {
    return fallback;
  }
  const auto& text = value.IsScalar() ? value.Scalar() : std::string();
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  problem(path_of(key), "expected true or false, got " + describe(value));
  return fallback;
}

std::string ConfigReader::choice(const YAML::Node& node, const std::string& key,
                                 const std::vector<std::string>& choices, const std::string& fallback) {
  const auto value = node[key];
  if (!value || value.IsNull()) {
    return fallback;
  }
  const auto& text = value.IsScalar() ? value.Scalar() : std::string();
  if (std::find(choices.begin(), choices.end(), text) != choices.end()) {
    return text;
  }
  std::string list;
  for (const auto& option : choices) {
    list += (list.empty() ? "" : ", ") + option;
  }
  problem(path_of(key), "expected one of " + list + ", got " + describe(value));
  return fallback;
}

std::vector<std::string> ConfigReader::text_list(const YAML::Node& node, const std::string& key) {
  std::vector<std::string> texts;
  const auto value = node[key];
  if (!value || value.IsNull()) {
    return texts;
  }
  if (!value.IsSequence()) {
    problem(path_of(key), "expected a list of texts, got " + describe(value));
    return texts;
  }
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      problem(path_of(key), "expected a list of texts, got " + describe(item) + " in it");
      continue;
    }
    texts.push_back(item.Scalar());
  }
  return texts;
}

void ConfigReader::problem(const std::string& path, const std::string& message) {
  problems_.push_back(file_ + ": " + path + ": " + message);
}

std::string ConfigReader::path_of(const std::string& key) const {
  return section_.empty() ? key : section_ + "." + key;
}

std::string ConfigReader::describe(const YAML::Node& value) const {
  if (value.IsSequence()) {
    return "a list";
  }
  if (value.IsMap()) {
    return "a mapping";
  }
  return "\"" + value.Scalar() + "\"";
}

}  // namespace blink_sync
