#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/config.hpp"
#include "minimal_config.hpp"

namespace blink_sync {
namespace {

const std::string kBase = testing::kMinimalConfig;

std::vector<std::string> problems_of(const std::string& events) {
  try {
    parse_config(kBase + events, "test.yaml", {});
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

TEST(EventsConfig, DisabledByDefault) {
  const auto config = parse_config(kBase, "test.yaml", {});
  EXPECT_FALSE(config.events.enabled);
  EXPECT_EQ(config.events.window_days_past, 7);
  EXPECT_EQ(config.events.window_days_future, 90);
  EXPECT_FALSE(config.events.write_back_status.has_value());
}

TEST(EventsConfig, ReadsEveryKey) {
  const auto config = parse_config(kBase +
                                       "events:\n"
                                       "  enabled: true\n"
                                       "  query: \"SELECT 1\"\n"
                                       "  window_days_past: 30\n"
                                       "  window_days_future: 365\n"
                                       "  write_back_status: \"UPDATE a SET s = :status WHERE id = :local_id::int\"\n"
                                       "  write_back_created: \"INSERT INTO a (e) VALUES (:blink_event_id)\"\n",
                                   "test.yaml", {});
  EXPECT_TRUE(config.events.enabled);
  EXPECT_EQ(config.events.query, "SELECT 1");
  EXPECT_EQ(config.events.window_days_past, 30);
  EXPECT_EQ(config.events.window_days_future, 365);
  EXPECT_TRUE(config.events.write_back_status.has_value());
  EXPECT_TRUE(config.events.write_back_created.has_value());
}

TEST(EventsConfig, EnabledNeedsQuery) {
  const auto problems = problems_of("events:\n  enabled: true\n");
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("events.query"), std::string::npos) << problems[0];
}

TEST(EventsConfig, ReportsEveryProblemWithKeyPath) {
  const auto problems = problems_of(
      "events:\n"
      "  enabled: true\n"
      "  query: \"SELECT 1\"\n"
      "  window_days_future: 0\n"
      "  write_back_status: \"UPDATE a SET s = :colour\"\n"
      "  windows: 3\n");
  ASSERT_EQ(problems.size(), 3U);
  const auto all = problems[0] + "\n" + problems[1] + "\n" + problems[2];
  EXPECT_NE(all.find("events.window_days_future"), std::string::npos) << all;
  EXPECT_NE(all.find("events.write_back_status"), std::string::npos) << all;
  EXPECT_NE(all.find(":colour"), std::string::npos) << all;
  EXPECT_NE(all.find("windows"), std::string::npos) << all;
}

}  // namespace
}  // namespace blink_sync
