// Choosing between a full read, an incremental read and no read of each of
// Blink's lists.

#include <gtest/gtest.h>

#include "builders.hpp"
#include "mapping/read_choice.hpp"

namespace blink_sync::test {
namespace {

ListRead read_of(const std::array<ListRead, 3>& reads, Entity entity) {
  return reads[static_cast<std::size_t>(entity)];
}

Operation operation(Action action, Entity entity, bool links = false) {
  Operation made;
  made.action = action;
  made.entity = entity;
  if (links) {
    made.links = LinkIntent{};
  }
  return made;
}

ReadChoiceInput possible(const Plan& plan) {
  return ReadChoiceInput{&plan, false, false, {true, true, true}};
}

TEST(ReadChoice, FieldUpdateReadsItsListIncrementally) {
  Plan plan;
  plan.operations.push_back(operation(Action::update, Entity::student));

  const auto reads = choose_list_reads(possible(plan));

  EXPECT_EQ(read_of(reads, Entity::student), ListRead::incremental);
  EXPECT_EQ(read_of(reads, Entity::student_login), ListRead::skip);
  EXPECT_EQ(read_of(reads, Entity::staff), ListRead::skip);
}

TEST(ReadChoice, CreatedUserReadsBothUserListsInFull) {
  Plan plan;
  plan.operations.push_back(operation(Action::create, Entity::student_login, true));

  const auto reads = choose_list_reads(possible(plan));

  EXPECT_EQ(read_of(reads, Entity::student_login), ListRead::full);
  EXPECT_EQ(read_of(reads, Entity::staff), ListRead::full);
  EXPECT_EQ(read_of(reads, Entity::student), ListRead::skip);
}

TEST(ReadChoice, LinkSetReadsItsListInFull) {
  Plan plan;
  plan.operations.push_back(operation(Action::update, Entity::staff, true));

  EXPECT_EQ(read_of(choose_list_reads(possible(plan)), Entity::staff), ListRead::full);
}

TEST(ReadChoice, WithoutMarkOrWithDoubtEverythingIsFull) {
  Plan plan;
  auto no_marks = possible(plan);
  no_marks.incremental_possible = {false, false, false};
  auto in_doubt = possible(plan);
  in_doubt.intents_in_doubt = true;
  auto resync = possible(plan);
  resync.resync = true;

  for (const auto& input : {no_marks, in_doubt, resync}) {
    for (const auto read : choose_list_reads(input)) {
      EXPECT_EQ(read, ListRead::full);
    }
  }
}

}  // namespace
}  // namespace blink_sync::test
