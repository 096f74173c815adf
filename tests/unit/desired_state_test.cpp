#include "mapping/desired_state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders.hpp"

namespace blink_sync {
namespace {

using test::link_row;
using test::login_row;
using test::RowBuilder;
using test::staff_row;
using test::student_row;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

void add(DesiredStateBuilder& builder, Entity entity, RowBuilder row) {
  builder.add_record_row(entity, row.row());
}

void link(DesiredStateBuilder& builder, LinkKind kind, std::optional<std::string> owner,
          std::optional<std::string> student) {
  auto row = link_row(kind, std::move(owner), std::move(student));
  builder.add_link_row(kind, row.row());
}

std::vector<std::string> local_ids(const EntityRoster& roster) {
  std::vector<std::string> ids;
  for (const auto& record : roster.records) {
    ids.push_back(record.local_id);
  }
  return ids;
}

std::vector<RecordError> errors_for(const DesiredState& state, Entity entity,
                                    const std::string& local_id) {
  std::vector<RecordError> found;
  for (const auto& error : state.errors) {
    if (error.entity == entity && error.local_id == local_id) {
      found.push_back(error);
    }
  }
  return found;
}

std::vector<std::string> links_of(const DesiredState& state, Entity entity,
                                  const std::string& local_id) {
  const auto* record = state.of(entity).find(local_id);
  EXPECT_NE(record, nullptr) << local_id;
  return record == nullptr ? std::vector<std::string>{} : record->linked_students;
}

DesiredStateBuilder make_builder() {
  return DesiredStateBuilder(test::test_context());
}

TEST(DesiredState, RecordsSortedAndIndexed) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s3", "Cy"));
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s2", "Bea"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.students), ElementsAre("s1", "s2", "s3"));
  ASSERT_NE(state.students.find("s2"), nullptr);
  EXPECT_EQ(test::field(Entity::student, state.students.find("s2")->fields, "first_name"), "Bea");
  EXPECT_EQ(state.students.find("s9"), nullptr);
  EXPECT_THAT(state.errors, IsEmpty());
}

TEST(DesiredState, InvalidRowBecomesRecordError) {
  auto builder = make_builder();
  add(builder, Entity::student_login, login_row("g1", "pat.lee.example.org"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(state.student_logins.records, IsEmpty());
  EXPECT_EQ(state.student_logins.invalid_ids.count("g1"), 1u);
  ASSERT_THAT(state.errors, SizeIs(1));
  const auto& error = state.errors[0];
  EXPECT_EQ(error.entity, Entity::student_login);
  EXPECT_EQ(error.local_id, "g1");
  EXPECT_FALSE(error.blink_id.has_value());
  EXPECT_EQ(error.http_status, 0);
  EXPECT_THAT(error.message, StartsWith("invalid roster row: email "));
  EXPECT_THAT(error.message, Not(HasSubstr("pat.lee")));
}

TEST(DesiredState, RowCountCountsEveryRow) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s2", "Bea", "Byron", "2019-02-30"));
  add(builder, Entity::student, student_row("s3", "Cy"));

  const auto state = std::move(builder).finish();

  EXPECT_EQ(state.students.row_count, 3u);
  EXPECT_THAT(local_ids(state.students), ElementsAre("s1", "s3"));
  EXPECT_EQ(state.students.invalid_ids.count("s2"), 1u);
  EXPECT_FALSE(state.students.rows_without_id);
  EXPECT_EQ(state.staff.row_count, 0u);
}

TEST(DesiredState, RowWithoutIdFlagged) {
  auto builder = make_builder();
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  auto no_id = staff_row("", "kim@example.org");
  no_id.set("local_id", std::nullopt);
  add(builder, Entity::staff, std::move(no_id));

  const auto state = std::move(builder).finish();

  EXPECT_TRUE(state.staff.rows_without_id);
  EXPECT_EQ(state.staff.row_count, 2u);
  EXPECT_THAT(local_ids(state.staff), ElementsAre("t1"));
  EXPECT_THAT(errors_for(state, Entity::staff, ""), SizeIs(1));
  EXPECT_FALSE(state.students.rows_without_id);
}

// ---- Duplicates ----

TEST(DesiredState, DuplicateLocalIdsBothRejected) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s1", "Bea"));
  add(builder, Entity::student, student_row("s2", "Cy"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.students), ElementsAre("s2"));
  EXPECT_EQ(state.students.invalid_ids.count("s1"), 1u);
  const auto errors = errors_for(state, Entity::student, "s1");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("2 rows"));
}

TEST(DesiredState, DuplicateIdsApartInRows) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s10", "Ada"));
  add(builder, Entity::student, student_row("s2", "Bea"));
  add(builder, Entity::student, student_row("s9", "Cy"));
  add(builder, Entity::student, student_row("s2", "Dee"));
  add(builder, Entity::student, student_row("s10", "Eve"));
  add(builder, Entity::student, student_row("s10", "Flo"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.students), ElementsAre("s9"));
  EXPECT_EQ(state.students.invalid_ids.count("s2"), 1u);
  EXPECT_EQ(state.students.invalid_ids.count("s10"), 1u);
  const auto errors_s2 = errors_for(state, Entity::student, "s2");
  ASSERT_THAT(errors_s2, SizeIs(1));
  EXPECT_THAT(errors_s2[0].message, HasSubstr("2 rows"));
  const auto errors_s10 = errors_for(state, Entity::student, "s10");
  ASSERT_THAT(errors_s10, SizeIs(1));
  EXPECT_THAT(errors_s10[0].message, HasSubstr("3 rows"));
}

TEST(DesiredState, DuplicateIdWithInvalidRow) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s1", "Bea", "Byron", "2099-01-01"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(state.students.records, IsEmpty());
  EXPECT_EQ(state.students.invalid_ids.count("s1"), 1u);
  EXPECT_THAT(errors_for(state, Entity::student, "s1"), SizeIs(2));
}

TEST(DesiredState, SameIdInOtherEntityAllowed) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("7"));
  add(builder, Entity::staff, staff_row("7", "sam@example.org"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.students), ElementsAre("7"));
  EXPECT_THAT(local_ids(state.staff), ElementsAre("7"));
  EXPECT_THAT(state.errors, IsEmpty());
}

TEST(DesiredState, DuplicateStudentLaterRejected) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Jos\xC3\xA9", "Smith"));
  add(builder, Entity::student, student_row("s2", "JOSE", "smith"));
  add(builder, Entity::student, student_row("s3", "Jose", "Smith", "2011-05-06"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.students), ElementsAre("s1", "s3"));
  EXPECT_EQ(state.students.invalid_ids.count("s2"), 1u);
  const auto errors = errors_for(state, Entity::student, "s2");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("local_id s1"));
  EXPECT_THAT(errors[0].message, Not(HasSubstr("Smith")));
}

TEST(DesiredState, DuplicateStudentOrderIsLocalId) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("b", "Ada"));
  add(builder, Entity::student, student_row("a", "ADA"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.students), ElementsAre("a"));
  EXPECT_THAT(errors_for(state, Entity::student, "b"), SizeIs(1));
}

TEST(DesiredState, DuplicateEmailRejectsLogin) {
  auto builder = make_builder();
  add(builder, Entity::student_login, login_row("g1", "pat@example.ORG"));
  add(builder, Entity::staff, staff_row("t1", "Pat@Example.org"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.staff), ElementsAre("t1"));
  EXPECT_THAT(state.student_logins.records, IsEmpty());
  EXPECT_EQ(state.student_logins.invalid_ids.count("g1"), 1u);
  const auto errors = errors_for(state, Entity::student_login, "g1");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("staff local_id t1"));
  EXPECT_THAT(errors[0].message, Not(HasSubstr("example")));
}

TEST(DesiredState, DuplicateEmailAmongLogins) {
  auto builder = make_builder();
  add(builder, Entity::student_login, login_row("g2", "PAT@example.org"));
  add(builder, Entity::student_login, login_row("g1", "pat@example.org"));

  const auto state = std::move(builder).finish();

  EXPECT_THAT(local_ids(state.student_logins), ElementsAre("g1"));
  EXPECT_THAT(errors_for(state, Entity::student_login, "g2"), SizeIs(1));
}

// ---- Links ----

TEST(DesiredState, LinksSortedAndDeduplicated) {
  auto builder = make_builder();
  for (const auto* id : {"s1", "s2", "s3"}) {
    add(builder, Entity::student, student_row(id, std::string("Kid ") + id));
  }
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  for (const auto* student : {"s3", "s1", "s3", "s2", " s1 "}) {
    link(builder, LinkKind::staff_students, "t1", student);
  }

  const auto state = std::move(builder).finish();

  EXPECT_THAT(links_of(state, Entity::staff, "t1"), ElementsAre("s1", "s2", "s3"));
  EXPECT_THAT(state.errors, IsEmpty());
}

TEST(DesiredState, LinkKindsGoToTheirOwners) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s2", "Bea"));
  add(builder, Entity::staff, staff_row("x", "sam@example.org"));
  add(builder, Entity::student_login, login_row("x", "pat@example.org"));
  link(builder, LinkKind::staff_students, "x", "s1");
  link(builder, LinkKind::login_students, "x", "s2");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(links_of(state, Entity::staff, "x"), ElementsAre("s1"));
  EXPECT_THAT(links_of(state, Entity::student_login, "x"), ElementsAre("s2"));
}

TEST(DesiredState, LinkToUnknownStudent) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student_login, login_row("g1", "pat@example.org"));
  link(builder, LinkKind::login_students, "g1", "s9");
  link(builder, LinkKind::login_students, "g1", "s1");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(links_of(state, Entity::student_login, "g1"), ElementsAre("s1", "s9"))
      << "a link to a student the query did not return keeps its Blink link through the mapping";
  const auto errors = errors_for(state, Entity::student_login, "g1");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("s9"));
}

TEST(DesiredState, LinksNoteEachStudentsRow) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s2", "Bea"));
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s1", "Ada"));  // a duplicate id: both rows invalid
  add(builder, Entity::student, student_row("s3", "Cy"));
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  for (const auto* student : {"s3", "s9", "s1", "s2", "s3"}) {
    link(builder, LinkKind::staff_students, "t1", student);
  }

  const auto state = std::move(builder).finish();

  const auto* staff = state.staff.find("t1");
  ASSERT_NE(staff, nullptr);
  ASSERT_THAT(staff->linked_students, ElementsAre("s1", "s2", "s3", "s9"));
  const auto none = DesiredRecord::kNotInRoster;
  EXPECT_THAT(staff->linked_student_rows, ElementsAre(none, 0U, 1U, none))
      << "s2 and s3 are the valid students' rows 0 and 1; s1 is invalid and s9 unknown";
  EXPECT_TRUE(staff->has_linked_rows());
}

TEST(DesiredState, UnknownStudentsOneErrorPerOwner) {
  auto builder = make_builder();
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  for (const auto* student : {"s1", "s2", "s3", "s4", "s5", "s6", "s7"}) {
    link(builder, LinkKind::staff_students, "t1", student);
  }

  const auto state = std::move(builder).finish();

  const auto errors = errors_for(state, Entity::staff, "t1");
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("7 student local_id(s)"));
  EXPECT_THAT(errors[0].message, HasSubstr("and 2 more"));
  EXPECT_EQ(state.staff_link_rows, 7U);
}

TEST(DesiredState, LinkFromUnknownOwner) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  link(builder, LinkKind::staff_students, "t9", "s1");
  link(builder, LinkKind::staff_students, "t1", "s1");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(errors_for(state, Entity::staff, "t9"), SizeIs(1));
  EXPECT_THAT(links_of(state, Entity::staff, "t1"), ElementsAre("s1"));
}

TEST(DesiredState, LinkToInvalidStudentKept) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s2", "Bea", "Byron", "1850-01-01"));
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  link(builder, LinkKind::staff_students, "t1", "s1");
  link(builder, LinkKind::staff_students, "t1", "s2");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(links_of(state, Entity::staff, "t1"), ElementsAre("s1", "s2"));
  EXPECT_THAT(errors_for(state, Entity::staff, "t1"), IsEmpty());
  EXPECT_THAT(errors_for(state, Entity::student, "s2"), SizeIs(1));
}

TEST(DesiredState, LinkFromInvalidOwnerNotAttached) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student_login, login_row("g1", "not-an-email"));
  link(builder, LinkKind::login_students, "g1", "s1");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(state.student_logins.records, IsEmpty());
  EXPECT_THAT(errors_for(state, Entity::student_login, "g1"), Not(IsEmpty()));
}

TEST(DesiredState, LinkWithEmptyIdIsError) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  link(builder, LinkKind::staff_students, "t1", std::nullopt);
  link(builder, LinkKind::staff_students, std::nullopt, "s1");
  link(builder, LinkKind::staff_students, "t1", "s1");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(state.errors, SizeIs(2));
  EXPECT_THAT(links_of(state, Entity::staff, "t1"), ElementsAre("s1"));
}

TEST(DesiredState, LinkToRejectedDuplicateStudentKept) {
  auto builder = make_builder();
  add(builder, Entity::student, student_row("s1", "Ada"));
  add(builder, Entity::student, student_row("s2", "ADA"));
  add(builder, Entity::staff, staff_row("t1", "sam@example.org"));
  link(builder, LinkKind::staff_students, "t1", "s2");

  const auto state = std::move(builder).finish();

  EXPECT_THAT(links_of(state, Entity::staff, "t1"), ElementsAre("s2"));
  EXPECT_THAT(errors_for(state, Entity::staff, "t1"), IsEmpty());
}

}  // namespace
}  // namespace blink_sync
