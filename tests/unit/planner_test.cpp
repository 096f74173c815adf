#include "mapping/planner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "builders.hpp"
#include "mapping/local_id_order.hpp"

namespace blink_sync {
namespace {

using test::add_valid;
using test::describe;
using test::field;
using test::known_keys;
using test::login;
using test::set_field;
using test::staff;
using test::student;
using test::World;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr auto kStudent = Entity::student;
constexpr auto kLogin = Entity::student_login;
constexpr auto kStaff = Entity::staff;

const std::vector<std::string> kPreferenceKeys = {
    "events_email",   "events_sms",   "homework_email", "homework_sms",
    "invoices_email", "invoices_sms", "msg_email",      "msg_sms"};

// Two students, and a login and a staff member linked to s1, all synced:
// s1 = 101, s2 = 102, g1 = 201, t1 = 301.
World synced_world() {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  world.add_synced(kLogin, login("g1", "pat@example.org", {"s1"}), 201);
  world.add_synced(kStaff, staff("t1", "sam@example.org", {"s1"}), 301);
  return world;
}

// Gives g1 in Blink the notification preferences events_email and msg_sms on.
void set_blink_preferences(World& world) {
  auto& fields = world.blink_record(kLogin, 201).fields;
  for (const auto& key : kPreferenceKeys) {
    set_field(kLogin, fields, key, key == "events_email" || key == "msg_sms" ? "1" : "0");
  }
}

void add_unmapped_blink(World& world, Entity entity, std::int64_t id, const DesiredRecord& shape,
                        std::optional<std::vector<std::int64_t>> links = std::nullopt) {
  world.remote.of(entity).add(test::remote_record(id, shape.fields, std::move(links)));
}

// Replaces the last-synced copy of a mapped record.
void set_synced(World& world, Entity entity, const std::string& local_id, FieldValues synced,
                std::optional<std::vector<std::int64_t>> links) {
  auto record = *world.mapping.find_local(entity, local_id);
  record.synced = std::move(synced);
  record.synced_links = std::move(links);
  world.mapping.upsert(std::move(record));
}

// Sorts a roster as DesiredStateBuilder does ("s2" before "s10"), where
// the test builders sort by text.
void sort_in_natural_order(EntityRoster& roster) {
  sort_by_local_id(roster.records);
  roster.by_local_id.clear();
  for (std::size_t i = 0; i < roster.records.size(); ++i) {
    roster.by_local_id.emplace(roster.records[i].local_id, i);
  }
}

// Returns a copy, so a test may pass the plan as a temporary.
Operation only_operation(const Plan& plan) {
  if (plan.operations.size() != 1) {
    ADD_FAILURE() << "expected one operation, got " << plan.operations.size();
    return plan.operations.empty() ? Operation{} : plan.operations.front();
  }
  return plan.operations.front();
}

std::vector<std::string> sent(const Operation& operation) {
  return known_keys(operation.entity, operation.send);
}

std::vector<std::string> error_ids(const Plan& plan, Entity entity) {
  std::vector<std::string> ids;
  for (const auto& error : plan.errors) {
    if (error.entity == entity) {
      ids.push_back(error.local_id);
    }
  }
  return ids;
}

// ---- First and steady cycles ----

TEST(Planner, InitialSyncCreatesInOrder) {
  World world;
  add_valid(world.desired, kStaff, staff("t1", "sam@example.org", {"s2", "s1"}));
  add_valid(world.desired, kLogin, login("g1", "pat@example.org", {"s1"}));
  add_valid(world.desired, kLogin, login("g0", "kim@example.org", {"s2"}));
  add_valid(world.desired, kStudent, student("s2", "Bea", "Byron"));
  add_valid(world.desired, kStudent, student("s1", "Ada", "Byron"));

  const auto plan = world.plan();

  EXPECT_THAT(plan.errors, IsEmpty());
  ASSERT_THAT(describe(plan),
              ElementsAre("create student s1", "create student s2", "create student_login g0",
                          "create student_login g1", "create staff t1"));
  for (const auto& operation : plan.operations) {
    const auto* record = world.desired.of(operation.entity).find(operation.local_id);
    ASSERT_NE(record, nullptr);
    EXPECT_FALSE(operation.blink_id.has_value());
    EXPECT_EQ(operation.send, record->fields);
    EXPECT_EQ(operation.synced_after, record->fields);
    EXPECT_EQ(operation.links.has_value(), operation.entity != kStudent);
  }
  const auto& staff_links = plan.operations[4].links;
  ASSERT_TRUE(staff_links.has_value());
  EXPECT_THAT(staff_links->student_local_ids, ElementsAre("s1", "s2"));
  EXPECT_THAT(staff_links->kept_blink_ids, IsEmpty());
  EXPECT_FALSE(staff_links->roster_has_unresolved);
  EXPECT_THAT(plan.operations[3].links->student_local_ids, ElementsAre("s1"));
}

TEST(Planner, SecondCycleIsEmpty) {
  auto world = synced_world();
  set_blink_preferences(world);

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

TEST(Planner, SecondCycleUnderResyncIsEmpty) {
  auto world = synced_world();
  set_blink_preferences(world);
  for (const auto& spec : fields_of(kStaff)) {
    if (spec.kind == FieldKind::flag) {
      set_field(kStaff, world.blink_record(kStaff, 301).fields, spec.blink_key, "1");
    }
  }

  const auto plan = world.plan(PlanOptions{.resync = true});

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

// ---- Updates ----

TEST(Planner, NameChangeUpdatesOneField) {
  auto world = synced_world();
  set_field(kStudent, world.roster_record(kStudent, "s1").fields, "first_name", "Augusta");

  const auto plan = world.plan();

  const auto operation = only_operation(plan);
  EXPECT_EQ(operation.action, Action::update);
  EXPECT_EQ(operation.entity, kStudent);
  EXPECT_EQ(operation.local_id, "s1");
  EXPECT_EQ(operation.blink_id, 101);
  EXPECT_THAT(sent(operation), ElementsAre("first_name"));
  EXPECT_EQ(field(kStudent, operation.send, "first_name"), "Augusta");
  EXPECT_THAT(operation.changed, ElementsAre("first_name"));
  EXPECT_FALSE(operation.links.has_value());
  EXPECT_EQ(field(kStudent, operation.synced_after, "first_name"), "Augusta");
  EXPECT_EQ(field(kStudent, operation.synced_after, "last_name"), "Byron");
}

TEST(Planner, StaffFieldChangeSendsNoLinks) {
  auto world = synced_world();
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "phone", "303-555-0101");

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_THAT(sent(operation), ElementsAre("phone"));
  EXPECT_FALSE(operation.links.has_value());
}

TEST(Planner, EquivalentValuesNotSent) {
  auto world = synced_world();
  auto& staff_fields = world.roster_record(kStaff, "t1").fields;
  set_field(kStaff, staff_fields, "phone", "(719) 555 0100");
  set_field(kStaff, staff_fields, "email", "Sam@Example.ORG");

  auto synced = world.mapping.find_local(kStudent, "s2")->synced;
  set_field(kStudent, synced, "first_name",
            "Be\xCC\x81"
            "a");
  set_synced(world, kStudent, "s2", synced, std::nullopt);
  set_field(kStudent, world.blink_record(kStudent, 102).fields, "first_name",
            "Be\xCC\x81"
            "a");
  set_field(kStudent, world.roster_record(kStudent, "s2").fields, "first_name",
            "B\xC3\xA9"
            "a");

  EXPECT_TRUE(world.plan().empty());
}

// An adoption whose PUT failed leaves an empty last-synced copy: fields
// that Blink does not already hold are sent again.
TEST(Planner, EmptySyncedCopyResendsFields) {
  auto world = synced_world();
  set_synced(world, kStudent, "s1", FieldValues(), std::nullopt);
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "notes", "old");

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_THAT(sent(operation), ElementsAre("notes"));
  EXPECT_EQ(operation.synced_after, world.roster_record(kStudent, "s1").fields);
}

TEST(Planner, EmptySyncedCopyFilledWithoutCall) {
  auto world = synced_world();
  set_synced(world, kStudent, "s1", FieldValues(), std::nullopt);

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::pull);
  EXPECT_THAT(sent(operation), IsEmpty());
  EXPECT_EQ(operation.synced_after, world.roster_record(kStudent, "s1").fields);
}

// The planner matches a roster sorted in natural local id order to the
// mapping table in one pass, and looks a roster in any other order up record
// by record. Both must find the same mappings and links.
TEST(Planner, MappingFoundInEitherRosterOrder) {
  for (const bool natural_order : {true, false}) {
    SCOPED_TRACE(natural_order ? "natural order" : "text order, s10 before s2");
    World world;
    world.add_synced(kStudent, student("s2", "Ada", "Byron"), 102);
    world.add_synced(kStudent, student("s10", "Bea", "Byron"), 110);
    world.add_synced(kStaff, staff("t1", "sam@example.org", {"s2"}), 301);
    add_valid(world.desired, kStudent, student("s3", "Cy", "Byron"));
    set_field(kStudent, world.roster_record(kStudent, "s10").fields, "first_name", "Beatrice");
    world.roster_record(kStaff, "t1").linked_students = {"s10", "s2"};
    if (natural_order) {
      sort_in_natural_order(world.desired.students);
    }

    const auto plan = world.plan();

    EXPECT_THAT(describe(plan),
                UnorderedElementsAre("create student s3", "update student s10", "update staff t1"));
    for (const auto& operation : plan.operations) {
      if (operation.entity == kStaff) {
        ASSERT_TRUE(operation.links.has_value());
        EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s10", "s2"));
      }
    }
  }
}

// ---- Links ----

TEST(Planner, RelinkSendsFullSet) {
  auto world = synced_world();
  world.add_synced(kStudent, student("s3", "Cy", "Byron"), 103);
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 900};
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s3"};

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_EQ(operation.local_id, "t1");
  EXPECT_THAT(sent(operation), IsEmpty());
  EXPECT_THAT(operation.changed, ElementsAre("linked_student_ids"));
  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1", "s3"));
  EXPECT_THAT(operation.links->kept_blink_ids, ElementsAre(900));
  EXPECT_FALSE(operation.links->roster_has_unresolved);
}

TEST(Planner, RelinkDropsUnmanagedWhenRosterOwnsLinks) {
  auto world = synced_world();
  world.add_synced(kStudent, student("s3", "Cy", "Byron"), 103);
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 900};
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s3"};

  const auto operation = only_operation(world.plan(PlanOptions{.keep_unmanaged_links = false}));

  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1", "s3"));
  EXPECT_THAT(operation.links->kept_blink_ids, IsEmpty());
}

TEST(Planner, UnmanagedLinkAloneIsNoChange) {
  auto world = synced_world();
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 900};

  EXPECT_TRUE(world.plan().empty());
}

TEST(Planner, UnmanagedLinkRemovedWhenRosterOwnsLinks) {
  auto world = synced_world();
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 900};

  const auto operation = only_operation(world.plan(PlanOptions{.keep_unmanaged_links = false}));

  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1"));
  EXPECT_THAT(operation.links->kept_blink_ids, IsEmpty());
}

TEST(Planner, LinksComparedWithBlinkNotMapping) {
  auto world = synced_world();
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s2"};
  set_synced(world, kStaff, "t1", world.roster_record(kStaff, "t1").fields,
             std::vector<std::int64_t>{101, 102});

  const auto operation = only_operation(world.plan());

  EXPECT_THAT(operation.changed, ElementsAre("linked_student_ids"));
  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1", "s2"));
}

TEST(Planner, LinksMatchingBlinkNotSent) {
  auto world = synced_world();
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s2"};
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 102};

  EXPECT_TRUE(world.plan().empty());
}

TEST(Planner, LinksFallBackToLastSent) {
  auto world = synced_world();
  world.blink_record(kStaff, 301).linked_students = std::nullopt;
  EXPECT_TRUE(world.plan().empty());

  world.roster_record(kStaff, "t1").linked_students = {"s1", "s2"};
  const auto operation = only_operation(world.plan());
  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1", "s2"));
}

TEST(Planner, LinksUnknownEverywhereAreSent) {
  auto world = synced_world();
  world.blink_record(kStaff, 301).linked_students = std::nullopt;
  set_synced(world, kStaff, "t1", world.roster_record(kStaff, "t1").fields, std::nullopt);

  const auto operation = only_operation(world.plan());

  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1"));
}

TEST(Planner, UnlinkAllSendsEmptySet) {
  auto world = synced_world();
  world.roster_record(kStaff, "t1").linked_students.clear();

  const auto operation = only_operation(world.plan());

  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, IsEmpty());
  EXPECT_THAT(operation.links->kept_blink_ids, IsEmpty());
  EXPECT_FALSE(operation.links->roster_has_unresolved);
}

TEST(Planner, UnresolvedLinksNeverUnlinkAll) {
  auto world = synced_world();
  test::add_invalid(world.desired, kStudent, "s9");
  world.roster_record(kStaff, "t1").linked_students = {"s9"};

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
}

TEST(Planner, UnresolvedLinkMarkedInIntent) {
  auto world = synced_world();
  test::add_invalid(world.desired, kStudent, "s9");
  world.roster_record(kStaff, "t1").linked_students = {"s2", "s9"};

  const auto operation = only_operation(world.plan());

  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s2"));
  EXPECT_TRUE(operation.links->roster_has_unresolved);
}

TEST(Planner, LinkToNewStudentAfterItsCreate) {
  auto world = synced_world();
  add_valid(world.desired, kStudent, student("s3", "Cy", "Byron"));
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s3"};

  const auto plan = world.plan();

  ASSERT_THAT(describe(plan), ElementsAre("create student s3", "update staff t1"));
  ASSERT_TRUE(plan.operations[1].links.has_value());
  EXPECT_THAT(plan.operations[1].links->student_local_ids, ElementsAre("s1", "s3"));
}

TEST(Planner, HeldCreateNeitherSentNorLinked) {
  auto world = synced_world();
  add_valid(world.desired, kStudent, student("s3", "Cy", "Byron"));
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s3"};
  const std::set<std::pair<Entity, std::string>> held_creates = {{kStudent, "s3"}};
  PlanOptions options;
  options.held_creates = &held_creates;

  const auto plan = world.plan(options);

  EXPECT_TRUE(plan.empty()) << "Blink already has t1's links to every student it can name";
}

TEST(Planner, AdoptedStudentNotKeptAsUnmanaged) {
  auto world = synced_world();
  const auto cy = student("s3", "Cy", "Byron");
  add_valid(world.desired, kStudent, cy);
  add_unmapped_blink(world, kStudent, 150, cy);
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{101, 150};
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s3"};

  const auto plan = world.plan();

  ASSERT_THAT(describe(plan), ElementsAre("adopt student s3", "update staff t1"));
  ASSERT_TRUE(plan.operations[1].links.has_value());
  EXPECT_THAT(plan.operations[1].links->student_local_ids, ElementsAre("s1", "s3"));
  EXPECT_THAT(plan.operations[1].links->kept_blink_ids, IsEmpty());
}

// ---- Leavers ----

TEST(Planner, RemovedStudentDischarged) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::discharge);
  EXPECT_EQ(operation.local_id, "s2");
  EXPECT_EQ(operation.blink_id, 102);
  EXPECT_THAT(sent(operation), ElementsAre("discharged"));
  EXPECT_EQ(field(kStudent, operation.send, "discharged"), "1");
  EXPECT_THAT(operation.changed, ElementsAre("discharged"));
  EXPECT_EQ(field(kStudent, operation.synced_after, "discharged"), "1");
  EXPECT_EQ(field(kStudent, operation.synced_after, "first_name"), "Bea");
}

TEST(Planner, HeldDischargeKeepsLinks) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s1");
  world.roster_record(kStaff, "t1").linked_students = {};
  world.roster_record(kLogin, "g1").linked_students = {};
  const std::set<std::int64_t> held_removals = {101};
  PlanOptions options;
  options.keep_unmanaged_links = false;
  options.held_student_removals = &held_removals;

  const auto plan = world.plan(options);

  EXPECT_THAT(describe(plan), ElementsAre("discharge student s1"))
      << "t1 and g1 keep their link to s1 while its discharge is held";
}

TEST(Planner, DischargedStudentNotDischargedAgain) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");
  auto synced = world.mapping.find_local(kStudent, "s2")->synced;
  set_field(kStudent, synced, "discharged", "1");
  set_synced(world, kStudent, "s2", synced, std::nullopt);

  EXPECT_TRUE(world.plan().empty());
}

TEST(Planner, ResyncChecksDischargeInBlink) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");
  set_field(kStudent, world.blink_record(kStudent, 102).fields, "discharged", "1");

  EXPECT_TRUE(world.plan(PlanOptions{.resync = true}).empty());
  EXPECT_EQ(only_operation(world.plan()).action, Action::discharge);
}

TEST(Planner, RemovedStudentDeletedByPolicy) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");

  const auto operation =
      only_operation(world.plan(PlanOptions{.students_removed = LeavePolicy::remove}));

  EXPECT_EQ(operation.action, Action::remove);
  EXPECT_EQ(operation.blink_id, 102);
}

TEST(Planner, RemovedStudentKeptByPolicy) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");

  const auto plan = world.plan(PlanOptions{.students_removed = LeavePolicy::keep});

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

TEST(Planner, RemovedStaffAndLoginDeleted) {
  auto world = synced_world();
  world.leave_roster(kStaff, "t1");
  world.leave_roster(kLogin, "g1");
  world.leave_roster(kStudent, "s2");
  world.add_synced(kStaff, staff("t2", "kim@example.org", {}), 302);
  world.add_synced(kLogin, login("g2", "lou@example.org", {"s1"}), 202);

  const auto plan = world.plan();

  EXPECT_THAT(describe(plan),
              ElementsAre("delete student_login g1", "delete staff t1", "discharge student s2"));
  EXPECT_EQ(plan.operations[0].blink_id, 201);
  EXPECT_EQ(plan.operations[1].blink_id, 301);
}

TEST(Planner, StaffKeptByPolicy) {
  auto world = synced_world();
  world.leave_roster(kStaff, "t1");
  world.add_synced(kStaff, staff("t2", "kim@example.org", {}), 302);

  EXPECT_TRUE(world.plan(PlanOptions{.staff_removed = LeavePolicy::keep}).empty());
}

TEST(Planner, LeaversComeAfterCreates) {
  auto world = synced_world();
  world.leave_roster(kLogin, "g1");
  add_valid(world.desired, kLogin, login("g2", "lou@example.org", {"s1"}));
  add_valid(world.desired, kStudent, student("s3", "Cy", "Byron"));

  EXPECT_THAT(describe(world.plan()), ElementsAre("create student s3", "create student_login g2",
                                                  "delete student_login g1"));
}

TEST(Planner, LeaverGoneFromBlinkForgotten) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");
  world.drop_from_blink(kStudent, 102);
  world.remote.students.confirmed_missing.insert(102);

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::forget);
  EXPECT_EQ(operation.local_id, "s2");
  EXPECT_EQ(operation.blink_id, 102);
}

TEST(Planner, UnreadableLeaverLeftAlone) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");
  world.drop_from_blink(kStudent, 102);
  world.remote.students.unreadable_ids.insert(102);
  world.leave_roster(kLogin, "g1");
  world.add_synced(kLogin, login("g2", "lou@example.org", {"s1"}), 202);
  world.drop_from_blink(kLogin, 201);
  world.remote.student_logins.unreadable_ids.insert(201);

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

TEST(Planner, ReturningStudentReactivated) {
  auto world = synced_world();
  auto synced = world.mapping.find_local(kStudent, "s2")->synced;
  set_field(kStudent, synced, "discharged", "1");
  set_synced(world, kStudent, "s2", synced, std::nullopt);
  set_field(kStudent, world.blink_record(kStudent, 102).fields, "discharged", "1");

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_THAT(sent(operation), ElementsAre("discharged"));
  EXPECT_EQ(field(kStudent, operation.send, "discharged"), "0");
}

TEST(Planner, InvalidRowIsNotLeaver) {
  auto world = synced_world();
  world.leave_roster(kStudent, "s2");
  test::add_invalid(world.desired, kStudent, "s2");
  world.leave_roster(kStaff, "t1");
  test::add_invalid(world.desired, kStaff, "t1");

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

TEST(Planner, EmptyQueryStopsLeavers) {
  auto world = synced_world();
  world.leave_roster(kLogin, "g1");
  ASSERT_EQ(world.desired.student_logins.row_count, 0u);

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.errors, SizeIs(1));
  EXPECT_EQ(plan.errors[0].entity, kLogin);
  EXPECT_EQ(plan.errors[0].local_id, "");
  EXPECT_THAT(plan.errors[0].message, HasSubstr("no rows"));
}

TEST(Planner, EmptyQueryWithKeepPolicyIsQuiet) {
  auto world = synced_world();
  world.leave_roster(kLogin, "g1");

  const auto plan = world.plan(PlanOptions{.student_logins_removed = LeavePolicy::keep});

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

TEST(Planner, RowWithoutIdStopsLeavers) {
  auto world = synced_world();
  world.leave_roster(kStaff, "t1");
  world.desired.staff.rows_without_id = true;
  ++world.desired.staff.row_count;

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(error_ids(plan, kStaff), ElementsAre(""));
}

// ---- Adoption ----

TEST(Planner, AdoptsStudentByNaturalKey) {
  World world;
  add_valid(world.desired, kStudent, student("s1", "Jos\xC3\xA9", "Smith"));
  auto in_blink = student("", "JOSE", "smith");
  set_field(kStudent, in_blink.fields, "notes", "typed in Blink");
  add_unmapped_blink(world, kStudent, 150, in_blink);

  const auto plan = world.plan();

  EXPECT_THAT(plan.errors, IsEmpty());
  const auto operation = only_operation(plan);
  EXPECT_EQ(operation.action, Action::adopt);
  EXPECT_EQ(operation.local_id, "s1");
  EXPECT_EQ(operation.blink_id, 150);
  EXPECT_THAT(operation.changed, ElementsAre("first_name", "last_name", "notes"));
  EXPECT_THAT(sent(operation), ElementsAre("first_name", "last_name", "notes"));
  EXPECT_EQ(field(kStudent, operation.send, "first_name"), "Jos\xC3\xA9");
  EXPECT_EQ(field(kStudent, operation.send, "notes"), "");
  EXPECT_EQ(operation.synced_after, world.roster_record(kStudent, "s1").fields);
}

TEST(Planner, DifferentBirthDateNotAdopted) {
  World world;
  add_valid(world.desired, kStudent, student("s1", "Ada", "Byron", "05/06/2010"));
  add_unmapped_blink(world, kStudent, 150, student("", "Ada", "Byron", "06/05/2010"));

  EXPECT_THAT(describe(world.plan()), ElementsAre("create student s1"));
}

TEST(Planner, AdoptsStaffByEmailIgnoringCase) {
  World world;
  add_valid(world.desired, kStaff, staff("t1", "Sam@Example.org", {}));
  add_unmapped_blink(world, kStaff, 1184, staff("", "sam@example.ORG", {}),
                     std::vector<std::int64_t>{});

  const auto plan = world.plan();

  const auto operation = only_operation(plan);
  EXPECT_EQ(operation.action, Action::adopt);
  EXPECT_EQ(operation.blink_id, 1184);
  EXPECT_THAT(operation.changed, IsEmpty());
  EXPECT_THAT(sent(operation), IsEmpty());
  EXPECT_FALSE(operation.links.has_value());
}

TEST(Planner, AdoptCarriesOnlyDifferingFields) {
  World world;
  add_valid(world.desired, kStaff, staff("t1", "sam@example.org", {}));
  auto in_blink = staff("", "sam@example.org", {});
  set_field(kStaff, in_blink.fields, "phone", "555-555-5555");
  set_field(kStaff, in_blink.fields, "Schedule-Admin", "1");
  add_unmapped_blink(world, kStaff, 1184, in_blink, std::vector<std::int64_t>{});

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::adopt);
  EXPECT_THAT(operation.changed, ElementsAre("phone"));
  EXPECT_THAT(sent(operation), ElementsAre("phone"));
  EXPECT_EQ(field(kStaff, operation.synced_after, "Schedule-Admin"), "1");
}

TEST(Planner, AdoptedLoginKeepsUnmanagedLinks) {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  add_valid(world.desired, kLogin, login("g1", "pat@example.org", {"s1"}));
  add_unmapped_blink(world, kLogin, 272, login("", "pat@example.org", {}),
                     std::vector<std::int64_t>{900});

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::adopt);
  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1"));
  EXPECT_THAT(operation.links->kept_blink_ids, ElementsAre(900));
}

TEST(Planner, TwoCandidatesIsError) {
  World world;
  add_valid(world.desired, kStudent, student("s1", "Ada", "Byron"));
  add_unmapped_blink(world, kStudent, 150, student("", "Ada", "Byron"));
  add_unmapped_blink(world, kStudent, 151, student("", "ADA", "BYRON"));

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.errors, SizeIs(1));
  EXPECT_EQ(plan.errors[0].local_id, "s1");
  EXPECT_THAT(plan.errors[0].message, AllOf(HasSubstr("150"), HasSubstr("151")));
}

TEST(Planner, EmailMovedToNewStaff) {
  auto world = synced_world();
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "email", "sam.reed@example.org");
  add_valid(world.desired, kStaff, staff("t2", "SAM@example.org", {}));

  const auto plan = world.plan();

  EXPECT_THAT(describe(plan), ElementsAre("update staff t1", "create staff t2"));
  EXPECT_THAT(sent(plan.operations[0]), ElementsAre("email"));
}

TEST(Planner, LocalIdChangeAdoptsOldRecord) {
  auto world = synced_world();
  auto renamed = world.roster_record(kStaff, "t1");
  renamed.local_id = "t9";
  world.leave_roster(kStaff, "t1");
  add_valid(world.desired, kStaff, renamed);

  const auto plan = world.plan();

  EXPECT_THAT(plan.errors, IsEmpty());
  const auto operation = only_operation(plan);
  EXPECT_EQ(operation.action, Action::adopt);
  EXPECT_EQ(operation.local_id, "t9");
  EXPECT_EQ(operation.blink_id, 301);
  EXPECT_THAT(operation.changed, IsEmpty());
}

TEST(Planner, StudentLocalIdChangeAdoptsOldRecord) {
  auto world = synced_world();
  auto renamed = world.roster_record(kStudent, "s2");
  renamed.local_id = "s7";
  world.leave_roster(kStudent, "s2");
  add_valid(world.desired, kStudent, renamed);

  EXPECT_THAT(describe(world.plan()), ElementsAre("adopt student s7"));
}

// ---- Blink lists that cannot be trusted ----

TEST(Planner, IncompleteListBlocksCreates) {
  auto world = synced_world();
  world.remote.students.complete = false;
  add_valid(world.desired, kStudent, student("s3", "Cy", "Byron"));
  set_field(kStudent, world.roster_record(kStudent, "s1").fields, "last_name", "King");

  const auto plan = world.plan();

  EXPECT_THAT(describe(plan), ElementsAre("update student s1"));
  EXPECT_THAT(error_ids(plan, kStudent), ElementsAre("s3"));
}

TEST(Planner, ConfirmedMissingCreatedAgain) {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  world.drop_from_blink(kStudent, 101);
  world.remote.students.confirmed_missing.insert(101);

  const auto plan = world.plan();

  EXPECT_THAT(plan.errors, IsEmpty());
  const auto operation = only_operation(plan);
  EXPECT_EQ(operation.action, Action::create);
  EXPECT_EQ(operation.local_id, "s1");
  EXPECT_FALSE(operation.blink_id.has_value());
  EXPECT_THAT(operation.reason, HasSubstr("deleted in Blink"));
}

TEST(Planner, RecreatedStudentIsRelinked) {
  auto world = synced_world();
  world.drop_from_blink(kStudent, 101);
  world.remote.students.confirmed_missing.insert(101);
  world.blink_record(kLogin, 201).linked_students = std::vector<std::int64_t>{};
  world.blink_record(kStaff, 301).linked_students = std::vector<std::int64_t>{};

  const auto plan = world.plan();

  EXPECT_THAT(describe(plan),
              ElementsAre("create student s1", "update student_login g1", "update staff t1"));
  for (std::size_t i = 1; i < plan.operations.size(); ++i) {
    ASSERT_TRUE(plan.operations[i].links.has_value());
    EXPECT_THAT(plan.operations[i].links->student_local_ids, ElementsAre("s1"));
  }
}

TEST(Planner, AllMappedMissingHeld) {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  for (const std::int64_t id : {101, 102}) {
    world.drop_from_blink(kStudent, id);
    world.remote.students.confirmed_missing.insert(id);
  }

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(error_ids(plan, kStudent), ElementsAre("")) << "one error for the entity, not one per record";
  EXPECT_THAT(plan.errors[0].message, HasSubstr("all 2 mapped student records"));
  EXPECT_THAT(plan.errors[0].message, HasSubstr("--resync"));
}

TEST(Planner, AllMappedMissingHeldBesideUnmapped) {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  for (const std::int64_t id : {101, 102}) {
    world.drop_from_blink(kStudent, id);
    world.remote.students.confirmed_missing.insert(id);
  }
  add_unmapped_blink(world, kStudent, 999, student("", "Someone", "Else"));

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(error_ids(plan, kStudent), ElementsAre(""));
}

TEST(Planner, AllMappedUnconfirmedNamesResync) {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  for (const std::int64_t id : {101, 102}) {
    world.drop_from_blink(kStudent, id);
  }

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(error_ids(plan, kStudent), ElementsAre(""));
  EXPECT_THAT(plan.errors[0].message, HasSubstr("--resync"));
}

TEST(Planner, StudentMissingFromListNotLinked) {
  auto world = synced_world();
  world.drop_from_blink(kStudent, 102);
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s2"};

  const auto plan = world.plan();

  for (const auto& operation : plan.operations) {
    if (operation.links) {
      EXPECT_THAT(operation.links->student_local_ids, Not(Contains("s2"))) << operation.local_id;
    }
  }
}

TEST(Planner, EmailOfLeavingLoginWaitsOneCycle) {
  auto world = synced_world();
  const auto email = std::string(*world.roster_record(kLogin, "g1").fields.get(*field_index(kLogin, "email")));
  world.desired.student_logins.records.clear();
  world.desired.student_logins.by_local_id.clear();
  world.desired.student_logins.row_count = 1;
  world.desired.student_logins.invalid_ids.clear();
  test::add_valid(world.desired, kStaff, staff("t2", email, {"s1"}));

  const auto plan = world.plan();

  EXPECT_THAT(describe(plan), ElementsAre("delete student_login g1"));
  ASSERT_THAT(error_ids(plan, kStaff), ElementsAre("t2"));
  EXPECT_THAT(plan.errors[0].message, HasSubstr("waits for the next cycle"));
}

TEST(Planner, EmptyLinkQueryHoldsLinks) {
  auto world = synced_world();
  world.roster_record(kStaff, "t1").linked_students.clear();
  world.roster_record(kLogin, "g1").linked_students.clear();
  world.desired.staff_link_rows = 0;
  world.desired.login_link_rows = 0;

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty()) << "no link is removed when a link query returns no rows";
  EXPECT_THAT(error_ids(plan, kStaff), ElementsAre(""));
  EXPECT_THAT(error_ids(plan, kLogin), ElementsAre(""));
  EXPECT_THAT(plan.errors[0].message, HasSubstr("broken query"));
}

TEST(Planner, LinkToStudentMissingFromQueryKept) {
  auto world = synced_world();
  world.desired.students.records.clear();
  world.desired.students.by_local_id.clear();
  world.desired.students.row_count = 0;

  const auto plan = world.plan();

  for (const auto& operation : plan.operations) {
    EXPECT_FALSE(operation.links.has_value()) << "links of " << operation.local_id << " changed";
  }
  EXPECT_THAT(describe(plan), IsEmpty()) << "nobody is discharged when the students query returns no rows";
}

TEST(Planner, AllMappedMissingCreatedUnderResync) {
  World world;
  world.add_synced(kStudent, student("s1", "Ada", "Byron"), 101);
  world.add_synced(kStudent, student("s2", "Bea", "Byron"), 102);
  for (const std::int64_t id : {101, 102}) {
    world.drop_from_blink(kStudent, id);
    world.remote.students.confirmed_missing.insert(id);
  }

  const auto plan = world.plan(PlanOptions{.resync = true});

  EXPECT_THAT(describe(plan), ElementsAre("create student s1", "create student s2"));
  EXPECT_THAT(plan.errors, IsEmpty());
}

TEST(Planner, UnconfirmedMissingIsError) {
  auto world = synced_world();
  world.drop_from_blink(kStaff, 301);

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.errors, SizeIs(1));
  EXPECT_EQ(plan.errors[0].local_id, "t1");
  EXPECT_EQ(plan.errors[0].blink_id, 301);
}

TEST(Planner, UnreadableIdLeftAlone) {
  auto world = synced_world();
  world.drop_from_blink(kStaff, 301);
  world.remote.staff.unreadable_ids.insert(301);
  set_field(kStaff, world.roster_record(kStaff, "t1").fields, "last_name", "Reid");

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(plan.errors, IsEmpty());
}

// ---- Resync ----

TEST(Planner, BlinkEditOfRosterFieldPutBack) {
  auto world = synced_world();
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "first_name", "Adah");

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_THAT(sent(operation), ElementsAre("first_name"));
  EXPECT_THAT(operation.drift, ElementsAre("first_name"));
}

TEST(Planner, ResyncSendsBlinkOnlyEditBack) {
  auto world = synced_world();
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "first_name", "Adah");

  const auto operation = only_operation(world.plan(PlanOptions{.resync = true}));

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_EQ(operation.local_id, "s1");
  EXPECT_THAT(sent(operation), ElementsAre("first_name"));
  EXPECT_EQ(field(kStudent, operation.send, "first_name"), "Ada");
  EXPECT_EQ(operation.reason, "differs from Blink");
}

TEST(Planner, ResyncIgnoresUnmanagedFields) {
  auto world = synced_world();
  set_field(kStaff, world.blink_record(kStaff, 301).fields, "Schedule-Admin", "1");
  set_field(kStudent, world.blink_record(kStudent, 101).fields, "notes", "x");
  set_field(kStudent, world.roster_record(kStudent, "s1").fields, "notes", std::nullopt);

  EXPECT_TRUE(world.plan(PlanOptions{.resync = true}).empty());
}

// ---- Student-logins ----

TEST(Planner, LoginUpdateCarriesAllPreferences) {
  auto world = synced_world();
  set_blink_preferences(world);
  set_field(kLogin, world.roster_record(kLogin, "g1").fields, "first_name", "Patricia");

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::update);
  EXPECT_THAT(operation.changed, ElementsAre("first_name"));
  for (const auto& key : kPreferenceKeys) {
    EXPECT_EQ(field(kLogin, operation.send, key),
              key == "events_email" || key == "msg_sms" ? "1" : "0")
        << key;
  }
  EXPECT_EQ(field(kLogin, operation.send, "first_name"), "Patricia");
  EXPECT_FALSE(field(kLogin, operation.send, "email").has_value());
}

TEST(Planner, LoginRelinkCarriesAllPreferences) {
  auto world = synced_world();
  set_blink_preferences(world);
  world.roster_record(kLogin, "g1").linked_students = {"s1", "s2"};

  const auto operation = only_operation(world.plan());

  EXPECT_THAT(operation.changed, ElementsAre("linked_student_ids"));
  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s1", "s2"));
  for (const auto& key : kPreferenceKeys) {
    EXPECT_TRUE(field(kLogin, operation.send, key).has_value()) << key;
  }
}

TEST(Planner, LoginPreferencesFromLastSync) {
  auto world = synced_world();
  auto synced = world.mapping.find_local(kLogin, "g1")->synced;
  for (const auto& key : kPreferenceKeys) {
    set_field(kLogin, synced, key, key == "homework_sms" ? "1" : "0");
  }
  set_synced(world, kLogin, "g1", synced, std::vector<std::int64_t>{101});
  set_field(kLogin, world.roster_record(kLogin, "g1").fields, "phone", "303-555-0199");

  const auto operation = only_operation(world.plan());

  for (const auto& key : kPreferenceKeys) {
    EXPECT_EQ(field(kLogin, operation.send, key), key == "homework_sms" ? "1" : "0") << key;
  }
}

TEST(Planner, RosterPreferencesWin) {
  auto world = synced_world();
  set_blink_preferences(world);
  auto& fields = world.roster_record(kLogin, "g1").fields;
  for (const auto& key : kPreferenceKeys) {
    set_field(kLogin, fields, key, key == "events_email" || key == "msg_sms" ? "1" : "0");
  }
  set_synced(world, kLogin, "g1", fields, std::vector<std::int64_t>{101});
  set_field(kLogin, fields, "msg_email", "1");

  const auto operation = only_operation(world.plan());

  EXPECT_THAT(operation.changed, ElementsAre("msg_email"));
  for (const auto& key : kPreferenceKeys) {
    EXPECT_EQ(field(kLogin, operation.send, key), field(kLogin, fields, key)) << key;
  }
}

TEST(Planner, NewLoginWithoutStudentIsError) {
  auto world = synced_world();
  test::add_invalid(world.desired, kStudent, "s9");
  add_valid(world.desired, kLogin, login("g2", "lou@example.org", {}));
  add_valid(world.desired, kLogin, login("g3", "kim@example.org", {"s9"}));

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  EXPECT_THAT(error_ids(plan, kLogin), ElementsAre("g2", "g3"));
}

TEST(Planner, NewLoginLinkedToMappedStudent) {
  auto world = synced_world();
  add_valid(world.desired, kLogin, login("g2", "lou@example.org", {"s2"}));

  const auto operation = only_operation(world.plan());

  EXPECT_EQ(operation.action, Action::create);
  ASSERT_TRUE(operation.links.has_value());
  EXPECT_THAT(operation.links->student_local_ids, ElementsAre("s2"));
}

TEST(Planner, EmailOfOtherEntityBlocksCreate) {
  auto world = synced_world();
  add_unmapped_blink(world, kLogin, 777, login("", "kim@example.org", {}));
  add_valid(world.desired, kStaff, staff("t2", "Kim@Example.org", {}));
  add_valid(world.desired, kLogin, login("g2", "SAM@example.org", {"s1"}));

  const auto plan = world.plan();

  EXPECT_TRUE(plan.empty());
  ASSERT_THAT(plan.errors, SizeIs(2));
  EXPECT_EQ(plan.errors[0].entity, kLogin);
  EXPECT_EQ(plan.errors[0].local_id, "g2");
  EXPECT_THAT(plan.errors[0].message, HasSubstr("301"));
  EXPECT_EQ(plan.errors[1].entity, kStaff);
  EXPECT_EQ(plan.errors[1].local_id, "t2");
  EXPECT_THAT(plan.errors[1].message, HasSubstr("777"));
  EXPECT_THAT(plan.errors[1].message, Not(HasSubstr("kim")));
}

// ---- Totals ----

TEST(Planner, CountOperations) {
  auto world = synced_world();
  add_valid(world.desired, kStudent, student("s3", "Cy", "Byron"));
  const auto dee = student("s4", "Dee", "Byron");
  add_valid(world.desired, kStudent, dee);
  add_unmapped_blink(world, kStudent, 150, dee);
  world.roster_record(kStaff, "t1").linked_students = {"s1", "s3"};
  set_field(kLogin, world.roster_record(kLogin, "g1").fields, "last_name", "Long");
  world.leave_roster(kStudent, "s2");

  const auto plan = world.plan();
  const auto counts = count_operations(plan);

  EXPECT_THAT(describe(plan),
              ElementsAre("create student s3", "adopt student s4", "update student_login g1",
                          "update staff t1", "discharge student s2"));
  EXPECT_EQ(counts.created, 1u);
  EXPECT_EQ(counts.adopted, 1u);
  EXPECT_EQ(counts.updated, 2u);
  EXPECT_EQ(counts.linked, 1u);
  EXPECT_EQ(counts.discharged, 1u);
  EXPECT_EQ(counts.deleted, 0u);
  EXPECT_EQ(counts.forgotten, 0u);
}

TEST(Planner, CountEveryAction) {
  Plan plan;
  for (const auto action : {Action::create, Action::adopt, Action::update, Action::update,
                            Action::discharge, Action::remove, Action::forget}) {
    Operation operation;
    operation.action = action;
    if (action == Action::create) {
      operation.links = LinkIntent{};
    }
    plan.operations.push_back(operation);
  }

  const auto counts = count_operations(plan);

  EXPECT_EQ(counts.created, 1u);
  EXPECT_EQ(counts.adopted, 1u);
  EXPECT_EQ(counts.updated, 2u);
  EXPECT_EQ(counts.linked, 1u);
  EXPECT_EQ(counts.discharged, 1u);
  EXPECT_EQ(counts.deleted, 1u);
  EXPECT_EQ(counts.forgotten, 1u);
  EXPECT_EQ(action_name(Action::remove), "delete");
}

}  // namespace
}  // namespace blink_sync
