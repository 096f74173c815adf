#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace blink_sync {

// Reads typed values out of a YAML tree and collects every problem with the
// key's full path, so one run of the daemon reports all mistakes at once.
// A value is quoted in a message only when the key is not secret.
class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  // Returns the named section (a mapping) and checks its keys; an absent
  // section is an empty node.
  YAML::Node section(const YAML::Node& root, const std::string& name,
                     std::initializer_list<const char*> known_keys);
  void check_keys(const YAML::Node& node, const std::string& path,
                  std::initializer_list<const char*> known_keys);
  // Reports every key written twice in any mapping of the file.
  void check_repeated_keys(const YAML::Node& root);

  std::string required_text(const YAML::Node& node, const std::string& key, bool secret = false);
  std::optional<std::string> optional_text(const YAML::Node& node, const std::string& key);
  int integer(const YAML::Node& node, const std::string& key, int fallback, int minimum, int maximum);
  bool boolean(const YAML::Node& node, const std::string& key, bool fallback);
  // Returns a list of texts; an absent key is an empty list.
  std::vector<std::string> text_list(const YAML::Node& node, const std::string& key);
  std::string choice(const YAML::Node& node, const std::string& key,
                     const std::vector<std::string>& choices, const std::string& fallback);

  void problem(const std::string& path, const std::string& message);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void walk_for_repeated_keys(const YAML::Node& node, const std::string& path, int depth, std::size_t& budget);
  std::string path_of(const std::string& key) const;
  std::string describe(const YAML::Node& value) const;

  std::string file_;
  std::string section_;
  std::vector<std::string> problems_;
};

}  // namespace blink_sync
