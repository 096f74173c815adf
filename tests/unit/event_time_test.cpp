#include "mapping/event_time.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

LocalTime wall(const char* text) {
  const auto parsed = parse_wall_time(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(LocalTime{});
}

std::string utc_of(const char* text, const char* zone) {
  const auto converted = to_utc(wall(text), zone);
  if (const auto* problem = std::get_if<std::string>(&converted)) {
    return "error: " + *problem;
  }
  return format_utc(std::get<UtcTime>(converted));
}

TEST(EventTime, ParsesRosterAndBlinkForms) {
  EXPECT_EQ(format_wall_minutes(wall("2030-02-25 09:00")), "2030-02-25 09:00");
  EXPECT_EQ(format_wall_minutes(wall("2030-02-25 09:00:00")), "2030-02-25 09:00");
  EXPECT_EQ(format_wall_minutes(wall("2030-02-25T09:05:00.000000")), "2030-02-25 09:05");
}

TEST(EventTime, RejectsInvalidWallTimes) {
  EXPECT_FALSE(parse_wall_time("2030-02-30 09:00"));
  EXPECT_FALSE(parse_wall_time("2030-02-25 24:00"));
  EXPECT_FALSE(parse_wall_time("25/02/2030 09:00"));
  EXPECT_FALSE(parse_wall_time("2030-02-25"));
  EXPECT_FALSE(parse_wall_time("2030-02-25 09:00 extra"));
}

TEST(EventTime, DenverWeeklySeriesKeepsWallTimeAcrossSpringChange) {
  // Daylight saving time begins in America/Denver on 2030-03-10.
  const auto first = wall("2030-02-25 09:00");
  const char* expected[] = {"2030-02-25 16:00:00", "2030-03-04 16:00:00", "2030-03-11 15:00:00",
                            "2030-03-18 15:00:00"};
  for (int index = 0; index < 4; ++index) {
    const auto local = occurrence_start(first, 1, index);
    EXPECT_EQ(format_wall_minutes(local).substr(11), "09:00");
    const auto converted = to_utc(local, "America/Denver");
    ASSERT_TRUE(std::holds_alternative<UtcTime>(converted));
    EXPECT_EQ(format_utc(std::get<UtcTime>(converted)), expected[index]) << "occurrence " << index;
  }
}

TEST(EventTime, DenverAutumnChangeShiftsUtcBack) {
  // Daylight saving time ends in America/Denver on 2030-11-03.
  EXPECT_EQ(utc_of("2030-10-28 09:00", "America/Denver"), "2030-10-28 15:00:00");
  EXPECT_EQ(utc_of("2030-11-04 09:00", "America/Denver"), "2030-11-04 16:00:00");
}

TEST(EventTime, RepeatedHourTakesEarlierInstant) {
  // 01:30 happens twice on 2030-11-03; the first is still daylight time (UTC-6).
  EXPECT_EQ(utc_of("2030-11-03 01:30", "America/Denver"), "2030-11-03 07:30:00");
}

TEST(EventTime, SkippedHourIsAnError) {
  const auto result = utc_of("2030-03-10 02:30", "America/Denver");
  EXPECT_NE(result.find("does not exist in America/Denver"), std::string::npos) << result;
}

TEST(EventTime, KolkataHalfHourOffset) {
  EXPECT_EQ(utc_of("2030-01-15 09:00", "Asia/Kolkata"), "2030-01-15 03:30:00");
  EXPECT_EQ(utc_of("2030-07-15 09:00", "Asia/Kolkata"), "2030-07-15 03:30:00");
}

TEST(EventTime, AdelaideHalfHourOffsetWithDaylightSaving) {
  EXPECT_EQ(utc_of("2030-01-15 09:00", "Australia/Adelaide"), "2030-01-14 22:30:00");
  EXPECT_EQ(utc_of("2030-07-15 09:00", "Australia/Adelaide"), "2030-07-14 23:30:00");
}

TEST(EventTime, UtcBackToLocal) {
  const auto local = to_local(UtcTime{date::sys_days{date::year{2030} / 1 / 15}} + std::chrono::hours(3) +
                                  std::chrono::minutes(30),
                              "Asia/Kolkata");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(format_wall_minutes(*local), "2030-01-15 09:00");
}

TEST(EventTime, UnknownZoneIsAnError) {
  EXPECT_NE(utc_of("2030-01-15 09:00", "Mars/Olympus").find("not a time zone"), std::string::npos);
  EXPECT_FALSE(to_local(UtcTime{}, "Mars/Olympus").has_value());
}

}  // namespace
}  // namespace blink_sync
