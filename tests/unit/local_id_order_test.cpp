#include "mapping/local_id_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

std::vector<DesiredRecord> records_of(const std::vector<std::string>& ids) {
  std::vector<DesiredRecord> records;
  for (const auto& id : ids) {
    records.push_back(DesiredRecord{id, {}, {id}, {}});  // the link shows whether a record moved whole
  }
  return records;
}

std::vector<std::string> ids_of(const std::vector<DesiredRecord>& records) {
  std::vector<std::string> ids;
  for (const auto& record : records) {
    ids.push_back(record.local_id);
  }
  return ids;
}

// Returns the ids as natural_less orders them, the order sort_by_local_id
// must produce whichever way it sorts.
std::vector<std::string> naturally_sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) { return natural_less(a, b); });
  return ids;
}

void expect_natural_order(const std::vector<std::string>& ids) {
  auto records = records_of(ids);
  sort_by_local_id(records);
  EXPECT_EQ(ids_of(records), naturally_sorted(ids));
  for (const auto& record : records) {
    ASSERT_EQ(record.linked_students, std::vector<std::string>{record.local_id});
  }
}

TEST(LocalIdOrder, PrefixedNumbers) {
  expect_natural_order({"S10", "S2", "T1", "ST3", "S0", "A100", "S1", "A-7"});
}

TEST(LocalIdOrder, PlainNumbers) {
  expect_natural_order({"100", "20", "3", "0", "999999999999999999", "1000"});
}

TEST(LocalIdOrder, MixedShapesFallBack) {
  expect_natural_order({"10", "S2", "-5", "007", "7", "S2a", "S02", "s1", "12345678901234567890", "x"});
}

TEST(LocalIdOrder, LongAndNonAsciiPrefixes) {
  expect_natural_order({"Student-ABC-12", "Student-AB12", "Student-ABC-3", "\xC3\xA9" "5", "e5", "Z9", "ABCDEFGH1",
                        "ABCDEFGHI1", "ABCDEFG1", "A\xFF""2", "A1"});
}

TEST(LocalIdOrder, RandomIdsMatchNaturalLess) {
  std::mt19937 random(11);
  const std::vector<std::string> prefixes = {"S", "T", "ST", "s", "A-", "Z"};
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    ids.push_back(prefixes[random() % prefixes.size()] + std::to_string(random() % 5000));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::shuffle(ids.begin(), ids.end(), random);

  expect_natural_order(ids);
}

TEST(LocalIdOrder, SortedInputUnchanged) {
  const std::vector<std::string> ids = {"L1", "L2", "L10"};
  auto records = records_of(ids);
  sort_by_local_id(records);
  EXPECT_EQ(ids_of(records), ids);
}

}  // namespace
}  // namespace blink_sync
