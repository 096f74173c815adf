#include "mapping/deletion_guard.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace blink_sync {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

Operation operation(Action action, Entity entity, int id) {
  Operation result;
  result.action = action;
  result.entity = entity;
  result.local_id = std::to_string(id);
  if (action != Action::create) {
    result.blink_id = 1000 + id;
  }
  return result;
}

// A plan with `creates` student creates, then `discharges` student
// discharges and `deletes` staff deletions.
Plan plan_of(int creates, int discharges, int deletes) {
  Plan plan;
  for (int i = 0; i < creates; ++i) {
    plan.operations.push_back(operation(Action::create, Entity::student, 500 + i));
  }
  for (int i = 0; i < discharges; ++i) {
    plan.operations.push_back(operation(Action::discharge, Entity::student, i));
  }
  for (int i = 0; i < deletes; ++i) {
    plan.operations.push_back(operation(Action::remove, Entity::staff, 100 + i));
  }
  return plan;
}

std::size_t count_action(const Plan& plan, Action action) {
  std::size_t count = 0;
  for (const auto& operation : plan.operations) {
    count += operation.action == action ? 1 : 0;
  }
  return count;
}

constexpr std::array<std::size_t, 3> kMapped = {100, 50, 20};  // students, logins, staff

TEST(DeletionGuard, SmallRemovalsPass) {
  auto plan = plan_of(2, 4, 1);

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.held, 0U);
  EXPECT_EQ(hold.planned, 5U);
  EXPECT_TRUE(hold.reasons.empty());
  EXPECT_THAT(plan.operations, SizeIs(7));
}

TEST(DeletionGuard, MassDischargeHeldCreatesKept) {
  auto plan = plan_of(3, 30, 1);

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.held, 30U);
  EXPECT_EQ(hold.of(Entity::student).held, 30U);
  EXPECT_EQ(hold.of(Entity::student).mapped, 100U);
  EXPECT_EQ(hold.of(Entity::staff).held, 0U);
  EXPECT_EQ(count_action(plan, Action::create), 3U);
  EXPECT_EQ(count_action(plan, Action::discharge), 0U);
  EXPECT_EQ(count_action(plan, Action::remove), 1U);
  ASSERT_THAT(hold.reasons, SizeIs(1));
  EXPECT_THAT(hold.reasons[0], HasSubstr("student removals (30 of 100 mapped)"));
  EXPECT_THAT(hold.reasons[0], HasSubstr("sync.max_removal_percent"));
}

TEST(DeletionGuard, FewerThanMinimumNeverHeld) {
  // 4 of 5 mapped staff is 80%, but fewer than min_held.
  auto plan = plan_of(0, 0, 4);

  const auto hold = hold_mass_removals(plan, {0, 0, 5}, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.held, 0U);
  EXPECT_EQ(count_action(plan, Action::remove), 4U);
}

TEST(DeletionGuard, MinimumReachedIsHeld) {
  auto plan = plan_of(0, 0, 5);

  const auto hold = hold_mass_removals(plan, {0, 0, 5}, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.held, 5U);
}

TEST(DeletionGuard, ExactlyTenPercentPasses) {
  auto plan = plan_of(0, 10, 0);

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.held, 0U);
  EXPECT_EQ(count_action(plan, Action::discharge), 10U);
}

TEST(DeletionGuard, TotalLimitHoldsEveryEntity) {
  RemovalLimits limits;
  limits.max_percent = 100;
  limits.max_total = 20;
  auto plan = plan_of(1, 15, 10);

  const auto hold = hold_mass_removals(plan, {1000, 0, 1000}, limits, std::nullopt);

  EXPECT_EQ(hold.held, 25U);
  EXPECT_THAT(plan.operations, SizeIs(1));
  ASSERT_THAT(hold.reasons, SizeIs(1));
  EXPECT_THAT(hold.reasons[0], HasSubstr("would remove 25 records, more than sync.max_removals (20)"));
}

TEST(DeletionGuard, AllowanceLetsExactlyThatMany) {
  auto plan = plan_of(2, 30, 0);

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, 12);

  EXPECT_EQ(hold.allowed, 12U);
  EXPECT_EQ(hold.held, 18U);
  EXPECT_EQ(count_action(plan, Action::discharge), 12U);
  EXPECT_EQ(count_action(plan, Action::create), 2U);
  EXPECT_EQ(plan.operations[2].local_id, "0");  // the first held removals, in plan order
}

TEST(DeletionGuard, AllowanceLargerThanHeldLetsAll) {
  auto plan = plan_of(0, 30, 0);

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, 100);

  EXPECT_EQ(hold.allowed, 30U);
  EXPECT_EQ(hold.held, 0U);
  EXPECT_EQ(count_action(plan, Action::discharge), 30U);
}

TEST(DeletionGuard, AllowanceUnusedWhenNothingHeld) {
  auto plan = plan_of(0, 3, 0);

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, 10);

  EXPECT_EQ(hold.allowed, 0U);
  EXPECT_EQ(count_action(plan, Action::discharge), 3U);
}

TEST(DeletionGuard, ForgetIsNotCounted) {
  auto plan = plan_of(0, 0, 0);
  for (int i = 0; i < 50; ++i) {
    plan.operations.push_back(operation(Action::forget, Entity::student, i));
  }

  const auto hold = hold_mass_removals(plan, kMapped, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.planned, 0U);
  EXPECT_THAT(plan.operations, SizeIs(50));
}

TEST(DeletionGuard, NothingMappedStillHeldAtMinimum) {
  auto plan = plan_of(0, 0, 6);

  const auto hold = hold_mass_removals(plan, {0, 0, 0}, RemovalLimits{}, std::nullopt);

  EXPECT_EQ(hold.held, 6U);
}

}  // namespace
}  // namespace blink_sync
