#include "daemon/error_repeats.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST(FormatRecordError, UnknownIdAndStatusAsDash) {
  const auto text = format_record_error({"event", "A3", std::nullopt, 0, "invalid events row: start \"soon\""});

  EXPECT_EQ(text, R"(record error: entity=event local_id=A3 blink_id=- status=- message="invalid events row: start \"soon\"")");
}

TEST(FormatRecordError, KnownIdStatusAndRepeats) {
  const auto text = format_record_error({"student", "902", 5006, 406, "rejected\nby Blink"}, 3, "2026-12-04T19:05:11Z");

  EXPECT_EQ(text,
            "record error: entity=student local_id=902 blink_id=5006 status=406 repeated=3 "
            "since=2026-12-04T19:05:11Z message=\"rejected by Blink\"");
}

TEST(DecideRepeat, FirstOccurrenceLogged) {
  const auto decision = decide_repeat(std::nullopt, kRepeatLogInterval);

  EXPECT_TRUE(decision.log);
  EXPECT_EQ(decision.repeats, 0);
}

TEST(DecideRepeat, RepeatWithinIntervalQuiet) {
  const auto decision = decide_repeat(ErrorHistory{minutes(5), 3, "2026-12-04T20:00:00Z"}, kRepeatLogInterval);

  EXPECT_FALSE(decision.log);
  EXPECT_EQ(decision.repeats, 4);
}

TEST(DecideRepeat, RepeatAfterIntervalLoggedWithCount) {
  const auto decision = decide_repeat(ErrorHistory{minutes(61), 11, "2026-12-04T20:00:00Z"}, kRepeatLogInterval);

  EXPECT_TRUE(decision.log);
  EXPECT_EQ(decision.repeats, 12);
}

TEST(DecideRepeat, ExactlyOneIntervalLogged) {
  EXPECT_TRUE(decide_repeat(ErrorHistory{seconds(3600), 0, ""}, kRepeatLogInterval).log);
  EXPECT_FALSE(decide_repeat(ErrorHistory{seconds(3599), 0, ""}, kRepeatLogInterval).log);
}

}  // namespace
}  // namespace blink_sync
