#include "daemon/config_reload.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace blink_sync {
namespace {

const std::string kQueries =
    "roster:\n"
    "  students: \"SELECT 1 AS students\"\n"
    "  student_logins: \"SELECT 1 AS student_logins\"\n"
    "  staff: \"SELECT 1 AS staff\"\n"
    "  staff_students: \"SELECT 1 AS staff_students\"\n"
    "  login_students: \"SELECT 1 AS login_students\"\n";

std::string config_text(const std::string& database, int poll_seconds, const std::string& level, int rate) {
  return "database:\n  url: \"" + database + "\"\n" + "blink:\n  requests_per_minute: " + std::to_string(rate) +
         "\n" + "sync:\n  poll_interval_seconds: " + std::to_string(poll_seconds) + "\n" + "log:\n  level: " +
         level + "\n" + kQueries;
}

// A configuration file that a test rewrites, as an administrator would.
class ConfigFile {
 public:
  ConfigFile() {
    path_ = (std::filesystem::temp_directory_path() / ("blink-sync-reload-test-" + std::to_string(::getpid())))
                .string();
  }
  ~ConfigFile() { std::filesystem::remove(path_); }

  void write(const std::string& text) const { std::ofstream(path_) << text; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ConfigEnvironment with_token() {
  ConfigEnvironment environment;
  environment.token = "test-token";
  return environment;
}

TEST(ConfigReload, ValidFileReplacesConfig) {
  ConfigFile file;
  file.write(config_text("postgresql://a/school", 300, "info", 60));
  const auto current = load_config(file.path(), with_token());
  file.write(config_text("postgresql://a/school", 120, "debug", 60));

  const auto reload = reload_config(current, with_token());

  ASSERT_TRUE(reload.config.has_value());
  EXPECT_TRUE(reload.problems.empty());
  EXPECT_TRUE(reload.restart_keys.empty());
  EXPECT_EQ(reload.config->sync.poll_interval, std::chrono::seconds(120));
  EXPECT_EQ(reload.config->log.level, "debug");
}

TEST(ConfigReload, InvalidFileRejected) {
  ConfigFile file;
  file.write(config_text("postgresql://a/school", 300, "info", 60));
  const auto current = load_config(file.path(), with_token());
  file.write(config_text("postgresql://a/school", 0, "info", 60));

  const auto reload = reload_config(current, with_token());

  EXPECT_FALSE(reload.config.has_value());
  ASSERT_EQ(reload.problems.size(), 1U);
  EXPECT_NE(reload.problems[0].find("sync.poll_interval_seconds"), std::string::npos) << reload.problems[0];
}

TEST(ConfigReload, MissingTokenRejected) {
  ConfigFile file;
  file.write(config_text("postgresql://a/school", 300, "info", 60));
  const auto current = load_config(file.path(), with_token());

  const auto reload = reload_config(current, ConfigEnvironment{});

  EXPECT_FALSE(reload.config.has_value());
  EXPECT_FALSE(reload.problems.empty());
}

TEST(ConfigReload, RestartKeysKeepRunningValues) {
  ConfigFile file;
  file.write(config_text("postgresql://a/school", 300, "info", 60));
  const auto current = load_config(file.path(), with_token());
  file.write(config_text("postgresql://b/other", 120, "info", 30));

  const auto reload = reload_config(current, with_token());

  ASSERT_TRUE(reload.config.has_value());
  EXPECT_EQ(reload.restart_keys, (std::vector<std::string>{"database.url", "blink.requests_per_minute"}));
  EXPECT_EQ(reload.config->database.url, "postgresql://a/school");
  EXPECT_EQ(reload.config->blink.requests_per_minute, 60);
  EXPECT_EQ(reload.config->sync.poll_interval, std::chrono::seconds(120)) << "the rest still applies";
}

}  // namespace
}  // namespace blink_sync
