// The reports: section of the configuration.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/config.hpp"
#include "mapping/report_range.hpp"
#include "minimal_config.hpp"

namespace blink_sync {
namespace {

const std::string kMinimal = testing::kMinimalConfig;

std::vector<std::string> problems_of(const std::string& reports_section) {
  try {
    parse_config(kMinimal + reports_section, "test.yaml", {});
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ReportsConfig, DisabledByDefault) {
  const auto config = parse_config(kMinimal, "test.yaml", {});

  EXPECT_FALSE(config.reports.enabled);
  EXPECT_EQ(config.reports.overlap_days, 2);
  EXPECT_EQ(config.reports.interval, std::chrono::hours{24});
  EXPECT_EQ(config.reports.reports.size(), 2U);
}

TEST(ReportsConfig, EveryKeyRead) {
  const auto config = parse_config(kMinimal +
                                       "reports:\n  enabled: true\n  timezone: \"Asia/Kolkata\"\n"
                                       "  start_date: \"2024-09-01\"\n  interval_hours: 6\n  overlap_days: 5\n"
                                       "  max_days_per_range: 7\n  import: [sessions]\n",
                                   "test.yaml", {});

  EXPECT_TRUE(config.reports.enabled);
  EXPECT_EQ(config.reports.timezone, "Asia/Kolkata");
  EXPECT_EQ(format_day(config.reports.start_date), "2024-09-01");
  EXPECT_EQ(config.reports.interval, std::chrono::hours{6});
  EXPECT_EQ(config.reports.overlap_days, 5);
  EXPECT_EQ(config.reports.max_days_per_range, 7);
  ASSERT_EQ(config.reports.reports.size(), 1U);
  EXPECT_EQ(config.reports.reports[0], ReportKind::sessions);
}

TEST(ReportsConfig, EnabledNeedsZoneAndStart) {
  const auto problems = problems_of("reports:\n  enabled: true\n");

  ASSERT_EQ(problems.size(), 2U);
  EXPECT_TRUE(contains(problems[0], "reports.timezone: missing")) << problems[0];
  EXPECT_TRUE(contains(problems[1], "reports.start_date: missing")) << problems[1];
}

TEST(ReportsConfig, EveryProblemAtOnce) {
  const auto problems = problems_of(
      "reports:\n  enabled: true\n  timezone: \"Mars/Olympus\"\n  start_date: \"2024-02-30\"\n"
      "  overlap_days: -1\n  import: [events, invoices]\n  colour: blue\n");

  ASSERT_EQ(problems.size(), 5U);
  EXPECT_TRUE(contains(problems[0], "reports.colour: unknown key")) << problems[0];
  EXPECT_TRUE(contains(problems[1], "\"Mars/Olympus\" is not a time zone name")) << problems[1];
  EXPECT_TRUE(contains(problems[2], "reports.start_date: expected a date as YYYY-MM-DD, got \"2024-02-30\""))
      << problems[2];
  EXPECT_TRUE(contains(problems[3], "reports.overlap_days")) << problems[3];
  EXPECT_TRUE(contains(problems[4], "unknown report \"invoices\"")) << problems[4];
}

}  // namespace
}  // namespace blink_sync
