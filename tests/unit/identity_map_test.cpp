#include "mapping/identity_map.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "builders.hpp"

namespace blink_sync {
namespace {

using ::testing::ElementsAre;

MappedRecord mapped(Entity entity, const std::string& local_id, std::int64_t blink_id) {
  return MappedRecord{entity, local_id, blink_id, FieldValues(entity), std::nullopt};
}

std::vector<std::string> local_ids(const IdentityMap& map, Entity entity) {
  std::vector<std::string> ids;
  for (const auto* record : map.records(entity)) {
    ids.push_back(record->local_id);
  }
  return ids;
}

TEST(IdentityMap, UpsertFindsBothWays) {
  IdentityMap map;
  auto record = mapped(Entity::student, "s1", 80);
  test::set_field(Entity::student, record.synced, "first_name", "Ada");
  map.upsert(record);

  const auto* by_local = map.find_local(Entity::student, "s1");
  const auto* by_blink = map.find_blink(Entity::student, 80);

  ASSERT_NE(by_local, nullptr);
  EXPECT_EQ(by_local, by_blink);
  EXPECT_EQ(by_local->blink_id, 80);
  EXPECT_EQ(test::field(Entity::student, by_local->synced, "first_name"), "Ada");
  EXPECT_EQ(map.size(Entity::student), 1u);
}

TEST(IdentityMap, EntitiesAreSeparate) {
  IdentityMap map;
  map.upsert(mapped(Entity::staff, "7", 1186));
  map.upsert(mapped(Entity::student_login, "7", 1187));
  map.upsert(mapped(Entity::student, "7", 1186));

  EXPECT_EQ(map.find_local(Entity::staff, "7")->blink_id, 1186);
  EXPECT_EQ(map.find_local(Entity::student_login, "7")->blink_id, 1187);
  EXPECT_EQ(map.find_blink(Entity::student, 1186)->entity, Entity::student);
  EXPECT_EQ(map.find_blink(Entity::student_login, 1186), nullptr);
}

TEST(IdentityMap, UpsertReplacesBlinkId) {
  IdentityMap map;
  map.upsert(mapped(Entity::staff, "t1", 16));

  map.upsert(mapped(Entity::staff, "t1", 17));

  EXPECT_EQ(map.find_local(Entity::staff, "t1")->blink_id, 17);
  EXPECT_EQ(map.find_blink(Entity::staff, 16), nullptr);
  EXPECT_NE(map.find_blink(Entity::staff, 17), nullptr);
  EXPECT_EQ(map.size(Entity::staff), 1u);
}

TEST(IdentityMap, UpsertSameRecordUpdatesCopy) {
  IdentityMap map;
  map.upsert(mapped(Entity::student, "s1", 80));
  auto changed = mapped(Entity::student, "s1", 80);
  changed.synced_links = std::vector<std::int64_t>{4};

  map.upsert(changed);

  ASSERT_TRUE(map.find_local(Entity::student, "s1")->synced_links.has_value());
  EXPECT_EQ(map.size(Entity::student), 1u);
}

TEST(IdentityMap, OneToOneRuleThrows) {
  IdentityMap map;
  map.upsert(mapped(Entity::student, "s1", 80));

  EXPECT_THROW(map.upsert(mapped(Entity::student, "s2", 80)), std::logic_error);

  EXPECT_EQ(map.find_blink(Entity::student, 80)->local_id, "s1");
  EXPECT_EQ(map.find_local(Entity::student, "s2"), nullptr);
  EXPECT_EQ(map.size(Entity::student), 1u);
}

TEST(IdentityMap, EraseRemovesBothWays) {
  IdentityMap map;
  map.upsert(mapped(Entity::student_login, "g1", 272));
  map.upsert(mapped(Entity::student_login, "g2", 273));

  map.erase(Entity::student_login, "g1");
  map.erase(Entity::student_login, "missing");

  EXPECT_EQ(map.find_local(Entity::student_login, "g1"), nullptr);
  EXPECT_EQ(map.find_blink(Entity::student_login, 272), nullptr);
  EXPECT_EQ(map.size(Entity::student_login), 1u);
  EXPECT_NO_THROW(map.upsert(mapped(Entity::student_login, "g3", 272)));
}

TEST(IdentityMap, RecordsSortedByLocalId) {
  IdentityMap map;
  for (const auto& [local_id, blink_id] :
       std::vector<std::pair<std::string, std::int64_t>>{{"s3", 1}, {"s1", 3}, {"s2", 2}}) {
    map.upsert(mapped(Entity::student, local_id, blink_id));
  }

  EXPECT_THAT(local_ids(map, Entity::student), ElementsAre("s1", "s2", "s3"));
  EXPECT_TRUE(map.records(Entity::staff).empty());
}

TEST(IdentityMap, CopyFindsItsOwnRecords) {
  IdentityMap original;
  original.upsert(mapped(Entity::staff, "t1", 301));

  IdentityMap copy = original;
  original.erase(Entity::staff, "t1");
  original.upsert(mapped(Entity::staff, "t2", 301));

  const auto* found = copy.find_blink(Entity::staff, 301);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found, copy.find_local(Entity::staff, "t1"));
  EXPECT_EQ(found->local_id, "t1");
  EXPECT_EQ(original.find_blink(Entity::staff, 301)->local_id, "t2");

  copy = original;
  EXPECT_EQ(copy.find_blink(Entity::staff, 301), copy.find_local(Entity::staff, "t2"));
  EXPECT_EQ(copy.find_local(Entity::staff, "t1"), nullptr);
}

TEST(IdentityMap, MoveKeepsBlinkLookup) {
  IdentityMap original;
  original.upsert(mapped(Entity::student, "s1", 101));

  IdentityMap moved = std::move(original);

  ASSERT_NE(moved.find_blink(Entity::student, 101), nullptr);
  EXPECT_EQ(moved.find_blink(Entity::student, 101), moved.find_local(Entity::student, "s1"));
}

}  // namespace
}  // namespace blink_sync
