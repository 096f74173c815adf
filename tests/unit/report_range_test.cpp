// Planning the day ranges of a report import.

#include <gtest/gtest.h>

#include "mapping/report_range.hpp"

namespace blink_sync {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

sys_days day(const char* text) { return *parse_day(text); }

RangePlanInput input(const char* start, const char* today) {
  RangePlanInput plan;
  plan.start_date = day(start);
  plan.today = day(today);
  return plan;
}

TEST(ReportRange, FirstImportFromStartDate) {
  const auto ranges = plan_report_ranges(input("2024-03-01", "2024-03-10"));

  ASSERT_EQ(ranges.size(), 1U);
  EXPECT_EQ(ranges[0], (DayRange{day("2024-03-01"), day("2024-03-10")}));
}

TEST(ReportRange, LongBackfillSplit) {
  auto plan = input("2024-01-01", "2024-03-05");
  plan.max_days_per_range = 31;

  const auto ranges = plan_report_ranges(plan);

  ASSERT_EQ(ranges.size(), 3U);
  EXPECT_EQ(ranges[0], (DayRange{day("2024-01-01"), day("2024-01-31")}));
  EXPECT_EQ(ranges[1], (DayRange{day("2024-02-01"), day("2024-03-02")}));
  EXPECT_EQ(ranges[2], (DayRange{day("2024-03-03"), day("2024-03-05")}));
}

TEST(ReportRange, NextImportReadsOnlyOverlap) {
  auto plan = input("2024-01-01", "2024-03-10");
  plan.imported_through = day("2024-03-10");
  plan.overlap_days = 2;

  const auto ranges = plan_report_ranges(plan);

  ASSERT_EQ(ranges.size(), 1U);
  EXPECT_EQ(ranges[0], (DayRange{day("2024-03-08"), day("2024-03-10")}));
}

TEST(ReportRange, NextDayReadsOverlapAndNewDay) {
  auto plan = input("2024-01-01", "2024-03-11");
  plan.imported_through = day("2024-03-10");
  plan.overlap_days = 0;

  const auto ranges = plan_report_ranges(plan);

  ASSERT_EQ(ranges.size(), 1U);
  EXPECT_EQ(ranges[0], (DayRange{day("2024-03-10"), day("2024-03-11")}));
}

TEST(ReportRange, OverlapNeverBeforeStartDate) {
  auto plan = input("2024-03-09", "2024-03-10");
  plan.imported_through = day("2024-03-10");
  plan.overlap_days = 30;

  const auto ranges = plan_report_ranges(plan);

  ASSERT_EQ(ranges.size(), 1U);
  EXPECT_EQ(ranges[0].first, day("2024-03-09"));
}

TEST(ReportRange, StartInFutureIsNothing) {
  EXPECT_TRUE(plan_report_ranges(input("2024-04-01", "2024-03-10")).empty());
}

TEST(ReportRange, DayTextRoundTrip) {
  EXPECT_EQ(format_day(day("2024-02-29")), "2024-02-29");
  EXPECT_EQ(parse_day("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_day("2024-2-1"), std::nullopt);
  EXPECT_EQ(parse_day("2024-02-01x"), std::nullopt);
  EXPECT_EQ(parse_day("abcd-ef-gh"), std::nullopt);
}

}  // namespace
}  // namespace blink_sync
