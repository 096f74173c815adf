// Settling intents left without an outcome: the lookup by natural key that
// decides whether a create reached Blink.

#include <gtest/gtest.h>

#include "builders.hpp"
#include "mapping/in_doubt.hpp"
#include "mapping/natural_key.hpp"

namespace blink_sync::test {
namespace {

OpenIntent create_intent(const DesiredRecord& record, Entity entity, bool settled) {
  OpenIntent intent;
  intent.id = 7;
  intent.entity = entity;
  intent.local_id = record.local_id;
  intent.operation = IntentOperation::create;
  intent.natural_key = natural_key(entity, record.fields);
  intent.settled = settled;
  return intent;
}

RemoteEntity list_of(std::vector<RemoteRecord> records) {
  RemoteEntity list;
  for (auto& record : records) {
    list.add(std::move(record));
  }
  return list;
}

TEST(InDoubt, FoundIgnoringCaseAndAccents) {
  const auto sent = student("12", "Zoë", "O'Brien");
  const auto in_blink = student("ignored", "ZOE", "o'brien");
  const auto list = list_of({remote_record(5001, in_blink.fields)});

  const auto resolution = resolve_in_doubt(create_intent(sent, Entity::student, false), list, IdentityMap{});

  EXPECT_EQ(resolution.verdict, DoubtVerdict::found);
  EXPECT_EQ(resolution.blink_id, 5001);
}

TEST(InDoubt, LooksUpKeyAsSent) {
  const auto sent = staff("3", "old@example.org", {});
  const auto list = list_of({remote_record(1001, staff("x", "OLD@example.org", {}).fields)});
  auto intent = create_intent(sent, Entity::staff, false);

  const auto resolution = resolve_in_doubt(intent, list, IdentityMap{});

  EXPECT_EQ(resolution.verdict, DoubtVerdict::found);
  EXPECT_EQ(resolution.blink_id, 1001);
}

TEST(InDoubt, NotFoundCountsOnlyOnceSettled) {
  const auto sent = student("12", "Ada", "Lovelace");
  const auto list = list_of({remote_record(5001, student("x", "Ada", "Byron").fields)});

  EXPECT_EQ(resolve_in_doubt(create_intent(sent, Entity::student, false), list, IdentityMap{}).verdict,
            DoubtVerdict::still_in_doubt);
  EXPECT_EQ(resolve_in_doubt(create_intent(sent, Entity::student, true), list, IdentityMap{}).verdict,
            DoubtVerdict::not_applied);
}

TEST(InDoubt, IncompleteListDecidesNothing) {
  const auto sent = student("12", "Ada", "Lovelace");
  auto list = list_of({});
  list.complete = false;

  EXPECT_EQ(resolve_in_doubt(create_intent(sent, Entity::student, true), list, IdentityMap{}).verdict,
            DoubtVerdict::still_in_doubt);
}

TEST(InDoubt, SeveralMatchesAreAmbiguousWithTheirIds) {
  const auto sent = student("12", "Timoteo", "Castañeda");
  const auto list = list_of({remote_record(5001, student("a", "Timoteo", "Castaneda").fields),
                             remote_record(5002, student("b", "Timoteo", "Castañeda").fields)});

  const auto resolution = resolve_in_doubt(create_intent(sent, Entity::student, true), list, IdentityMap{});

  EXPECT_EQ(resolution.verdict, DoubtVerdict::ambiguous);
  EXPECT_EQ(resolution.candidates, (std::vector<std::int64_t>{5001, 5002}));
}

TEST(InDoubt, OtherRecordsMappingNotCandidate) {
  const auto sent = student("12", "Ada", "Lovelace");
  const auto list = list_of({remote_record(5001, student("x", "Ada", "Lovelace").fields)});
  IdentityMap mapping;
  mapping.upsert(MappedRecord{Entity::student, "99", 5001, FieldValues(Entity::student), std::nullopt});

  EXPECT_EQ(resolve_in_doubt(create_intent(sent, Entity::student, true), list, mapping).verdict,
            DoubtVerdict::not_applied);
}

TEST(InDoubt, AlreadyMappedCreateIsSuperseded) {
  const auto sent = student("12", "Ada", "Lovelace");
  IdentityMap mapping;
  mapping.upsert(MappedRecord{Entity::student, "12", 5003, FieldValues(Entity::student), std::nullopt});

  const auto resolution = resolve_in_doubt(create_intent(sent, Entity::student, false), list_of({}), mapping);

  EXPECT_EQ(resolution.verdict, DoubtVerdict::superseded);
  EXPECT_EQ(resolution.blink_id, 5003);
}

TEST(InDoubt, UpdateAndDeleteAreReplanned) {
  OpenIntent intent;
  intent.entity = Entity::staff;
  intent.local_id = "4";
  intent.blink_id = 1004;
  for (const auto operation : {IntentOperation::update, IntentOperation::remove}) {
    intent.operation = operation;
    EXPECT_EQ(resolve_in_doubt(intent, list_of({}), IdentityMap{}).verdict, DoubtVerdict::superseded);
  }
}

}  // namespace
}  // namespace blink_sync::test
