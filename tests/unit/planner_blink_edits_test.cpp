// The planner's three-way comparison (field owners, drift, conflicts) and
// its handling of records that exist only in Blink.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders.hpp"
#include "mapping/assumed_remote.hpp"
#include "mapping/planner.hpp"

namespace blink_sync {
namespace {

using test::field;
using test::known_keys;
using test::login;
using test::set_field;
using test::staff;
using test::student;
using test::World;
using test::add_valid;
using test::remote_record;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr auto kStudent = Entity::student;
constexpr auto kLogin = Entity::student_login;
constexpr auto kStaff = Entity::staff;

const std::vector<std::string> kPreferenceKeys = {
    "events_email",   "events_sms",   "homework_email", "homework_sms",
    "invoices_email", "invoices_sms", "msg_email",      "msg_sms"};

// s1 = 101, s2 = 102, g1 = 201 (linked to s1), t1 = 301 (linked to s1).
World synced_world() {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  world.add_synced(kLogin, login("g1", "pat@example.org", {"s1"}), 201);
  world.add_synced(kStaff, staff("t1", "sam@example.org", {"s1"}), 301);
  return world;
}

PlanOptions staff_phone_owned_by_blink() {
  PlanOptions options;
  options.field_owners.set(kStaff, "phone", FieldOwner::blink);
  return options;
}

PlanOptions with_policy(ConflictPolicy policy) {
  PlanOptions options;
  options.conflict_policy = policy;
  return options;
}

PlanOptions with_blink_only(Entity entity, BlinkOnlyPolicy policy) {
  PlanOptions options;
  options.blink_only[static_cast<int>(entity)] = policy;
  return options;
}

// Edits s1's first name to "Adah" in the roster and to "Addie" in Blink.
void edit_both_sides(World& world) {
  set_field(kStudent, world.roster_record(kStudent, "s1").fields, "first_name", "Adah");
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "first_name", "Addie");
}

Operation only_operation(const Plan& plan) {
  if (plan.operations.size() != 1) {
    ADD_FAILURE() << "expected one operation, got " << plan.operations.size();
    return plan.operations.empty() ? Operation{} : plan.operations.front();
  }
  return plan.operations.front();
}

std::vector<std::string> sent(const Operation& operation) { return known_keys(operation.entity, operation.send); }

// ---- Field owners ----

TEST(PlannerBlinkEdits, BlinkOwnedEditPulled) {
  auto world = synced_world();
  set_field(kStaff, world.blink_record(kStaff, 301).fields, "phone", "719-555-0199");

  const auto operation = only_operation(world.plan(staff_phone_owned_by_blink()));

  EXPECT_EQ(operation.action, Action::pull);
  EXPECT_THAT(sent(operation), IsEmpty());
  EXPECT_THAT(known_keys(kStaff, operation.pulled), ElementsAre("phone"));
  EXPECT_EQ(field(kStaff, operation.pulled, "phone"), "719-555-0199");
  EXPECT_EQ(field(kStaff, operation.synced_after, "phone"), "719-555-0199");
  EXPECT_THAT(operation.drift, IsEmpty());
}

TEST(PlannerBlinkEdits, RosterEditOfBlinkOwnedNotSent) {
  auto world = synced_world();
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "phone", "719-555-0111");

  EXPECT_TRUE(world.plan(staff_phone_owned_by_blink()).empty());
}

TEST(PlannerBlinkEdits, ResyncPullsBlinkOwnedValue) {
  auto world = synced_world();
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "phone", "719-555-0111");
  auto options = staff_phone_owned_by_blink();
  options.resync = true;

  const auto operation = only_operation(world.plan(options));

  EXPECT_EQ(operation.action, Action::pull);
  EXPECT_EQ(field(kStaff, operation.pulled, "phone"), field(kStaff, world.blink_record(kStaff, 301).fields, "phone"));
}

TEST(PlannerBlinkEdits, RosterOwnedDriftPutBack) {
  auto world = synced_world();
  set_field(kStaff, world.blink_record(kStaff, 301).fields, "phone", "719-555-0199");

  const auto plan = world.plan();
  const auto operation = only_operation(plan);

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_EQ(field(kStaff, operation.send, "phone"), "719-555-0100");
  EXPECT_THAT(operation.drift, ElementsAre("phone"));
  EXPECT_EQ(count_operations(plan).drift, 1U);
  EXPECT_THAT(plan.conflicts, IsEmpty());
}

TEST(PlannerBlinkEdits, LinkRemovedInBlinkIsDrift) {
  auto world = synced_world();
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{};

  const auto operation = only_operation(world.plan());

  EXPECT_THAT(operation.changed, ElementsAre("linked_student_ids"));
  EXPECT_THAT(operation.drift, ElementsAre("linked_student_ids"));
}

TEST(PlannerBlinkEdits, RosterLinkChangeIsNoDrift) {
  auto world = synced_world();
  world.roster_record(kStaff, "t1").linked_students.push_back("s2");

  const auto operation = only_operation(world.plan());

  EXPECT_THAT(operation.changed, ElementsAre("linked_student_ids"));
  EXPECT_THAT(operation.drift, IsEmpty());
}

TEST(PlannerBlinkEdits, PullAndPushInOneOperation) {
  auto world = synced_world();
  set_field(kStaff, world.blink_record(kStaff, 301).fields, "phone", "719-555-0199");
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "last_name", "Reid");

  const auto plan = world.plan(staff_phone_owned_by_blink());
  const auto operation = only_operation(plan);

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_THAT(sent(operation), ElementsAre("last_name"));
  EXPECT_THAT(known_keys(kStaff, operation.pulled), ElementsAre("phone"));
  EXPECT_EQ(field(kStaff, operation.synced_after, "phone"), "719-555-0199");
  EXPECT_EQ(field(kStaff, operation.synced_after, "last_name"), "Reid");
  EXPECT_EQ(count_operations(plan).pulled, 1U);
}

TEST(PlannerBlinkEdits, QuietCycleMakesNoOperation) {
  auto world = synced_world();
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "phone", "719-555-0111");

  const auto plan = plan_sync(world.desired, assumed_remote(world.mapping), world.mapping,
                              staff_phone_owned_by_blink());

  EXPECT_TRUE(plan.empty());
}

TEST(PlannerBlinkEdits, BlinkOwnedPreferencesEchoed) {
  auto world = synced_world();
  auto& roster_fields = world.roster_record(kLogin, "g1").fields;
  for (const auto& key : kPreferenceKeys) {
    set_field(kLogin, roster_fields, key, "0");
  }
  auto& blink_fields = world.blink_record(kLogin, 201).fields;
  blink_fields = roster_fields;
  world.mapping.upsert(MappedRecord{kLogin, "g1", 201, roster_fields, std::vector<std::int64_t>{101}});
  set_field(kLogin, blink_fields, "msg_sms", "1");
  set_field(kLogin, roster_fields, "last_name", "Leigh");
  PlanOptions options;
  options.field_owners.set(kLogin, "events_email", FieldOwner::blink);

  const auto operation = only_operation(world.plan(options));

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_EQ(field(kLogin, operation.send, "msg_sms"), "1");
  EXPECT_EQ(field(kLogin, operation.send, "last_name"), "Leigh");
  EXPECT_THAT(known_keys(kLogin, operation.pulled), ElementsAre("msg_sms"));
}

// ---- Conflicts ----

TEST(PlannerBlinkEdits, ConflictRosterWinsSendsRosterValue) {
  auto world = synced_world();
  edit_both_sides(world);

  const auto plan = world.plan(with_policy(ConflictPolicy::roster_wins));
  const auto operation = only_operation(plan);

  ASSERT_THAT(plan.conflicts, SizeIs(1));
  const auto& conflict = plan.conflicts.front();
  EXPECT_EQ(conflict.local_id, "s1");
  EXPECT_EQ(conflict.blink_id, 101);
  EXPECT_EQ(conflict.field, "first_name");
  EXPECT_EQ(conflict.roster_value, "Adah");
  EXPECT_EQ(conflict.blink_value, "Addie");
  EXPECT_EQ(conflict.base_value, "Ada");
  EXPECT_EQ(operation.action, Action::update);
  EXPECT_EQ(field(kStudent, operation.send, "first_name"), "Adah");
  EXPECT_EQ(field(kStudent, operation.synced_after, "first_name"), "Adah");
  EXPECT_THAT(operation.drift, IsEmpty());
}

TEST(PlannerBlinkEdits, ConflictBlinkWinsPulls) {
  auto world = synced_world();
  edit_both_sides(world);

  const auto plan = world.plan(with_policy(ConflictPolicy::blink_wins));
  const auto operation = only_operation(plan);

  ASSERT_THAT(plan.conflicts, SizeIs(1));
  EXPECT_EQ(plan.conflicts.front().policy, ConflictPolicy::blink_wins);
  EXPECT_EQ(operation.action, Action::pull);
  EXPECT_EQ(field(kStudent, operation.pulled, "first_name"), "Addie");
  EXPECT_EQ(field(kStudent, operation.synced_after, "first_name"), "Addie");
}

// The roster has no column for the first name: the changed_in_blink
// statement does not bind it.
PlanOptions blink_wins_without_first_name_column() {
  auto options = with_policy(ConflictPolicy::blink_wins);
  auto& takes = options.roster_takes[static_cast<int>(kStudent)];
  takes.assign(fields_of(kStudent).size(), true);
  takes[*field_index(kStudent, "first_name")] = false;
  return options;
}

TEST(PlannerBlinkEdits, BlinkWinsReportedWithoutColumn) {
  auto world = synced_world();
  edit_both_sides(world);

  const auto plan = world.plan(blink_wins_without_first_name_column());

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.conflicts, SizeIs(1));
  EXPECT_EQ(plan.conflicts.front().policy, ConflictPolicy::report);
}

TEST(PlannerBlinkEdits, BlinkOwnedEditKeptWithoutColumn) {
  auto world = synced_world();
  set_field(kStaff, world.blink_record(kStaff, 301).fields, "phone", "719-555-0199");
  auto options = staff_phone_owned_by_blink();
  options.roster_takes[static_cast<int>(kStaff)].assign(fields_of(kStaff).size(), false);

  const auto plan = world.plan(options);

  EXPECT_TRUE(plan.empty()) << "the edit was put back or taken into the last-synced copy";
}

TEST(PlannerBlinkEdits, AdoptionKeepsRosterValueOfBlinkOwnedField) {
  auto world = synced_world();
  auto record = staff("t2", "kim@example.org", {});
  set_field(kStaff, record.fields, "phone", "719-555-0111");
  auto in_blink = record.fields;
  set_field(kStaff, in_blink, "phone", "719-555-0199");
  world.remote.of(kStaff).add(remote_record(302, in_blink, std::vector<std::int64_t>{}));
  add_valid(world.desired, kStaff, std::move(record));

  const auto operation = only_operation(world.plan(staff_phone_owned_by_blink()));

  EXPECT_EQ(operation.action, Action::adopt);
  EXPECT_THAT(sent(operation), IsEmpty());
  EXPECT_EQ(field(kStaff, operation.synced_after, "phone"), "719-555-0111")
      << "the next cycle would not see Blink's value as an edit to write back";
}

TEST(PlannerBlinkEdits, ConflictReportChangesNeither) {
  auto world = synced_world();
  edit_both_sides(world);

  const auto plan = world.plan(with_policy(ConflictPolicy::report));

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.conflicts, SizeIs(1));
  EXPECT_EQ(plan.conflicts.front().policy, ConflictPolicy::report);
}

TEST(PlannerBlinkEdits, OpenConflictNotReportedAgain) {
  auto world = synced_world();
  edit_both_sides(world);
  OpenConflicts open;
  open.add(kStudent, "s1", "first_name", OpenConflict{"Adah", "Addie"});
  auto options = with_policy(ConflictPolicy::report);
  options.open_conflicts = &open;

  const auto plan = world.plan(options);
  const auto quiet = plan_sync(world.desired, assumed_remote(world.mapping), world.mapping, options);

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.conflicts, IsEmpty());
  EXPECT_THAT(plan.resolved_conflicts, IsEmpty());
  EXPECT_TRUE(quiet.empty());
}

TEST(PlannerBlinkEdits, OpenConflictResolvedWhenSidesAgree) {
  auto world = synced_world();
  set_field(kStudent, world.roster_record(kStudent, "s1").fields, "first_name", "Addie");
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "first_name", "Addie");
  OpenConflicts open;
  open.add(kStudent, "s1", "first_name", OpenConflict{"Adah", "Addie"});
  auto options = with_policy(ConflictPolicy::report);
  options.open_conflicts = &open;

  const auto plan = world.plan(options);

  ASSERT_THAT(plan.resolved_conflicts, SizeIs(1));
  EXPECT_EQ(plan.resolved_conflicts.front().field, "first_name");
  EXPECT_THAT(plan.conflicts, IsEmpty());
  const auto operation = only_operation(plan);
  EXPECT_EQ(operation.action, Action::pull);
  EXPECT_EQ(field(kStudent, operation.synced_after, "first_name"), "Addie");
}

TEST(PlannerBlinkEdits, SameEditOnBothSidesIsNoConflict) {
  auto world = synced_world();
  set_field(kStudent, world.roster_record(kStudent, "s1").fields, "first_name", "Adah");
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "first_name", "Adah");

  const auto plan = world.plan(with_policy(ConflictPolicy::report));
  const auto operation = only_operation(plan);

  EXPECT_THAT(plan.conflicts, IsEmpty());
  EXPECT_EQ(operation.action, Action::pull);
  EXPECT_THAT(sent(operation), IsEmpty());
  EXPECT_THAT(known_keys(kStudent, operation.pulled), IsEmpty());
  EXPECT_EQ(field(kStudent, operation.synced_after, "first_name"), "Adah");
}

// ---- Records that exist only in Blink ----

// Adds Blink student 900, which no roster record has.
void add_blink_only_student(World& world) {
  world.remote.students.add(test::remote_record(900, student("x", "Cy", "Stone").fields));
}

TEST(PlannerBlinkOnly, IgnoredByDefault) {
  auto world = synced_world();
  add_blink_only_student(world);

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.blink_only, IsEmpty());
}

TEST(PlannerBlinkOnly, ImportListsRecord) {
  auto world = synced_world();
  add_blink_only_student(world);

  const auto plan = world.plan(with_blink_only(kStudent, BlinkOnlyPolicy::import));

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.blink_only, SizeIs(1));
  EXPECT_EQ(plan.blink_only.front().blink_id, 900);
  EXPECT_EQ(field(kStudent, plan.blink_only.front().fields, "first_name"), "Cy");
}

TEST(PlannerBlinkOnly, DeletePlansRemoval) {
  auto world = synced_world();
  add_blink_only_student(world);

  const auto operation = only_operation(world.plan(with_blink_only(kStudent, BlinkOnlyPolicy::remove)));

  EXPECT_EQ(operation.action, Action::remove);
  EXPECT_EQ(operation.blink_id, 900);
  EXPECT_EQ(operation.local_id, "");
}

TEST(PlannerBlinkOnly, DeleteSparesRecordRosterWillAdopt) {
  auto world = synced_world();
  add_blink_only_student(world);
  world.remote.students.add(test::remote_record(901, student("y", "Dee", "Stone").fields));
  world.remote.students.add(test::remote_record(902, student("y", "Dee", "Stone").fields));
  test::add_valid(world.desired, kStudent, student("s4", "Dee", "Stone"));

  const auto plan = world.plan(with_blink_only(kStudent, BlinkOnlyPolicy::remove));

  std::vector<std::int64_t> removed;
  for (const auto& operation : plan.operations) {
    if (operation.action == Action::remove) {
      removed.push_back(*operation.blink_id);
    }
  }
  EXPECT_THAT(removed, ElementsAre(900));
}

TEST(PlannerBlinkOnly, DeleteSparesAdoptedRecord) {
  auto world = synced_world();
  world.remote.students.add(test::remote_record(903, student("z", "Eve", "Stone").fields));
  test::add_valid(world.desired, kStudent, student("s5", "Eve", "Stone"));

  const auto operation = only_operation(world.plan(with_blink_only(kStudent, BlinkOnlyPolicy::remove)));

  EXPECT_EQ(operation.action, Action::adopt);
}

TEST(PlannerBlinkOnly, DeleteHeldWhileRosterRowsInvalid) {
  auto world = synced_world();
  add_blink_only_student(world);
  test::add_invalid(world.desired, kStudent, "s9");

  const auto plan = world.plan(with_blink_only(kStudent, BlinkOnlyPolicy::remove));

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.errors, SizeIs(1));
  EXPECT_THAT(plan.errors.front().message, ::testing::HasSubstr("invalid"));
}

TEST(PlannerBlinkOnly, LinksKeptOnFullSetReplay) {
  auto world = synced_world();
  add_blink_only_student(world);
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 900};
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s2"};

  const auto operation = only_operation(world.plan());

  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1", "s2"));
  EXPECT_THAT(operation.links->kept_blink_ids, ElementsAre(900));
}

TEST(FieldOwners, PreferenceGroupHasOneOwner) {
  FieldOwners owners;

  EXPECT_TRUE(owners.set(kLogin, "msg_sms", FieldOwner::blink));

  for (const auto& key : kPreferenceKeys) {
    EXPECT_EQ(owners.owner(kLogin, *field_index(kLogin, key)), FieldOwner::blink) << key;
  }
  EXPECT_EQ(owners.owner(kLogin, *field_index(kLogin, "phone")), FieldOwner::roster);
  EXPECT_FALSE(owners.set(kLogin, "no_such_field", FieldOwner::blink));
}

}  // namespace
}  // namespace blink_sync
