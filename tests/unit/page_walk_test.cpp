#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "mapping/page_walk.hpp"

namespace blink_sync {
namespace {

ListPage page_of(std::vector<std::int64_t> ids, Pagination pagination) {
  ListPage page;
  page.pagination = pagination;
  for (const auto id : ids) {
    page.items.push_back({{"id", id}});
  }
  return page;
}

TEST(PageWalk, ReadsAnnouncedPages) {
  PageWalk walk;

  EXPECT_EQ(walk.add_page(1, page_of({1, 2}, {3, 2, 1, 2})), std::nullopt);
  EXPECT_TRUE(walk.has_page_after(1));
  EXPECT_EQ(walk.add_page(2, page_of({3}, {3, 2, 2, 2})), std::nullopt);
  EXPECT_FALSE(walk.has_page_after(2));
  EXPECT_FALSE(walk.changed());
  EXPECT_TRUE(walk.complete());
}

TEST(PageWalk, LaterPagesCannotExtendWalk) {
  PageWalk walk;

  ASSERT_EQ(walk.add_page(1, page_of({1, 2}, {4, 2, 1, 2})), std::nullopt);
  ASSERT_EQ(walk.add_page(2, page_of({3, 4}, {4, 90, 2, 2})), std::nullopt);

  EXPECT_FALSE(walk.has_page_after(2));
}

TEST(PageWalk, FewerRecordsThanAnnouncedIncomplete) {
  PageWalk walk;

  ASSERT_EQ(walk.add_page(1, page_of({1}, {2, 1, 1, 2})), std::nullopt);

  EXPECT_FALSE(walk.complete());
}

TEST(PageWalk, ChangedTotalCountReported) {
  PageWalk walk;

  ASSERT_EQ(walk.add_page(1, page_of({1, 2}, {4, 2, 1, 2})), std::nullopt);
  EXPECT_EQ(walk.add_page(2, page_of({3, 4}, {5, 3, 2, 2})), std::nullopt);

  EXPECT_TRUE(walk.changed());
}

TEST(PageWalk, WrongCurrentPageRejected) {
  PageWalk walk;

  ASSERT_EQ(walk.add_page(1, page_of({1, 2}, {4, 2, 1, 2})), std::nullopt);
  const auto problem = walk.add_page(2, page_of({3, 4}, {4, 2, 1, 2}));

  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("ignored the page parameter"), std::string::npos) << *problem;
}

TEST(PageWalk, RepeatedIdRejected) {
  PageWalk walk;

  ASSERT_EQ(walk.add_page(1, page_of({1, 2}, {4, 2, 1, 2})), std::nullopt);
  const auto problem = walk.add_page(2, page_of({2, 3}, {4, 2, 2, 2}));

  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("repeated Blink id 2"), std::string::npos) << *problem;
}

TEST(PageWalk, TooManyPagesForCountRejected) {
  PageWalk walk;

  const auto problem = walk.add_page(1, page_of({1, 2}, {5, 1000, 1, 2}));

  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("announced 1000 pages for 5 records"), std::string::npos) << *problem;
}

TEST(PageWalk, PagesOverSanityCapRejected) {
  PageWalk walk;
  const std::int64_t records = (PageWalk::kMaxPages + 1) * 500;

  EXPECT_NE(walk.add_page(1, page_of({1}, {records, PageWalk::kMaxPages + 1, 1, 500})), std::nullopt);
}

TEST(PageWalk, HugeCountsDoNotOverflow) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  for (const std::int64_t limit : {max, std::int64_t{1}, std::int64_t{0}, std::int64_t{-1}}) {
    PageWalk walk;
    const auto problem = walk.add_page(1, page_of({1}, {max, max, 1, limit}));
    EXPECT_TRUE(problem.has_value()) << "limit " << limit;
  }
}

TEST(PageWalk, EmptyFirstPageIsComplete) {
  PageWalk walk;

  EXPECT_EQ(walk.add_page(1, page_of({}, {0, 0, 1, 500})), std::nullopt);

  EXPECT_FALSE(walk.has_page_after(1));
  EXPECT_TRUE(walk.complete());
}

}  // namespace
}  // namespace blink_sync
