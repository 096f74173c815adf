#include "mapping/link_rows.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

TEST(LinkRows, KeepsEachPairInOrder) {
  LinkRows rows;
  rows.add("t1", "s10");
  rows.add("", "s2");
  rows.add("g-O'Brien", "");

  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows.owner(0), "t1");
  EXPECT_EQ(rows.student(0), "s10");
  EXPECT_EQ(rows.owner(1), "") << "an empty id stays empty, so the builder can report the row";
  EXPECT_EQ(rows.student(1), "s2");
  EXPECT_EQ(rows.owner(2), "g-O'Brien");
  EXPECT_EQ(rows.student(2), "");
}

TEST(LinkRows, ReleaseEmptiesIt) {
  LinkRows rows;
  rows.add("t1", "s1");

  rows.release();

  EXPECT_EQ(rows.size(), 0U);
}

}  // namespace
}  // namespace blink_sync
