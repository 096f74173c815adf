// Blink's timestamp shapes, made comparable.

#include <gtest/gtest.h>

#include "mapping/blink_timestamp.hpp"

namespace blink_sync {
namespace {

TEST(BlinkTimestamp, PlainShapeKeptToTheSecond) {
  EXPECT_EQ(sortable_timestamp("2019-04-25 10:39:49"), "2019-04-25 10:39:49");
  EXPECT_EQ(sortable_timestamp("2019-04-25 10:39:49.000000"), "2019-04-25 10:39:49");
}

TEST(BlinkTimestamp, TextShapeInTwentyFourHours) {
  EXPECT_EQ(sortable_timestamp("Apr 9, 2018,  4:25 pm"), "2018-04-09 16:25:00");
  EXPECT_EQ(sortable_timestamp("Jan 30, 2018,  12:25 am"), "2018-01-30 00:25:00");
  EXPECT_EQ(sortable_timestamp("May 9, 2019,  12:54 pm"), "2019-05-09 12:54:00");
}

TEST(BlinkTimestamp, OtherTextIsUnknown) {
  EXPECT_EQ(sortable_timestamp(""), std::nullopt);
  EXPECT_EQ(sortable_timestamp("yesterday"), std::nullopt);
  EXPECT_EQ(sortable_timestamp("2019-04-25"), std::nullopt);
  EXPECT_EQ(sortable_timestamp("Foo 9, 2018,  4:25 pm"), std::nullopt);
}

TEST(SecondsSinceEpoch, CountsFrom1970) {
  EXPECT_EQ(seconds_since_epoch("1970-01-01 00:00:00"), 0);
  EXPECT_EQ(seconds_since_epoch("1970-01-02 01:01:01"), 86400 + 3661);
  EXPECT_EQ(seconds_since_epoch("2019-04-25 10:39:49"), 1556188789);
}

TEST(SecondsSinceEpoch, InvalidTextIsUnknown) {
  EXPECT_EQ(seconds_since_epoch(""), std::nullopt);
  EXPECT_EQ(seconds_since_epoch("2019-02-30 10:00:00"), std::nullopt);
  EXPECT_EQ(seconds_since_epoch("2019-04-25 25:00:00"), std::nullopt);
  EXPECT_EQ(seconds_since_epoch("Apr 9, 2018,  4:25 pm"), std::nullopt);
}

}  // namespace
}  // namespace blink_sync
