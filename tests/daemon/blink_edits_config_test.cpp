#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/blink_edits.hpp"
#include "daemon/config.hpp"
#include "mapping/fields.hpp"
#include "minimal_config.hpp"

namespace blink_sync {
namespace {

constexpr const char* kFile = "test.yaml";

const std::string kRequired = testing::kMinimalConfig;

Config parse_sync(const std::string& sync) { return parse_config(kRequired + "sync:\n" + sync, kFile, {}); }

std::vector<std::string> problems_of(const std::string& sync) {
  try {
    parse_sync(sync);
  } catch (const ConfigError& error) {
    return error.problems();
  }
  return {};
}

std::string only_problem(const std::string& sync) {
  const auto problems = problems_of(sync);
  if (problems.size() != 1) {
    ADD_FAILURE() << "expected one problem, got " << problems.size() << " for:\n" << sync;
    return "";
  }
  return problems.front();
}

FieldOwner owner_of(const Config& config, Entity entity, const char* key) {
  return config.sync.edits.field_owners.owner(entity, *field_index(entity, key));
}

TEST(BlinkEditsConfig, DefaultsLeaveRosterInCharge) {
  const auto config = parse_sync("  poll_interval_seconds: 60\n");

  EXPECT_EQ(config.sync.edits.conflict_policy, ConflictPolicy::roster_wins);
  EXPECT_EQ(owner_of(config, Entity::staff, "phone"), FieldOwner::roster);
  for (const auto& blink_only : config.sync.edits.blink_only) {
    EXPECT_EQ(blink_only.policy, BlinkOnlyPolicy::ignore);
    EXPECT_FALSE(blink_only.import_statement.has_value());
  }
}

TEST(BlinkEditsConfig, OwnersAndPoliciesRead) {
  const auto config = parse_sync(
      "  field_owners:\n"
      "    staff: {user_timezone: blink, phone: blink}\n"
      "    student_logins: {notification_preferences: blink}\n"
      "  conflict_policy: report\n"
      "  blink_only:\n"
      "    students: {policy: import, import_statement: \"INSERT INTO t (id) VALUES (:blink_id)\"}\n"
      "    staff: delete\n");

  EXPECT_EQ(owner_of(config, Entity::staff, "phone"), FieldOwner::blink);
  EXPECT_EQ(owner_of(config, Entity::staff, "user_timezone"), FieldOwner::blink);
  EXPECT_EQ(owner_of(config, Entity::staff, "email"), FieldOwner::roster);
  EXPECT_EQ(owner_of(config, Entity::student_login, "msg_sms"), FieldOwner::blink);
  EXPECT_EQ(owner_of(config, Entity::student_login, "phone"), FieldOwner::roster);
  EXPECT_EQ(config.sync.edits.conflict_policy, ConflictPolicy::report);
  const auto& students = config.sync.edits.blink_only[static_cast<int>(Entity::student)];
  EXPECT_EQ(students.policy, BlinkOnlyPolicy::import);
  EXPECT_EQ(students.import_statement, "INSERT INTO t (id) VALUES (:blink_id)");
  EXPECT_EQ(config.sync.edits.blink_only[static_cast<int>(Entity::staff)].policy, BlinkOnlyPolicy::remove);
}

TEST(BlinkEditsConfig, UnknownFieldNamed) {
  const auto problem = only_problem("  field_owners:\n    staff:\n      phnoe: blink\n");

  EXPECT_NE(problem.find("test.yaml: sync.field_owners.staff.phnoe: unknown field of staff"), std::string::npos)
      << problem;
  EXPECT_NE(problem.find("user_timezone"), std::string::npos) << problem;
}

TEST(BlinkEditsConfig, SinglePreferenceRejected) {
  const auto problem = only_problem("  field_owners:\n    student_logins:\n      msg_sms: blink\n");

  EXPECT_NE(problem.find("sync.field_owners.student_logins.msg_sms"), std::string::npos) << problem;
  EXPECT_NE(problem.find("notification_preferences"), std::string::npos) << problem;
}

TEST(BlinkEditsConfig, BadValuesNamedWithPaths) {
  const auto problems = problems_of(
      "  field_owners:\n"
      "    teachers: {phone: blink}\n"
      "    staff: {phone: nobody}\n"
      "  conflict_policy: newest_wins\n"
      "  blink_only:\n"
      "    students: purge\n"
      "    staff: {policy: delete, import_statement: \"SELECT 1\"}\n"
      "    student_logins: {policy: import, import_statement: \"SELECT :email, :shoe_size\", extra: 1}\n");

  std::string all;
  for (const auto& problem : problems) {
    all += problem + "\n";
  }
  EXPECT_EQ(problems.size(), 7U) << all;
  EXPECT_NE(all.find("sync.field_owners.teachers: unknown entity"), std::string::npos) << all;
  EXPECT_NE(all.find("sync.field_owners.staff.phone: expected one of roster, blink, got \"nobody\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("sync.conflict_policy: expected one of roster_wins, blink_wins, report"), std::string::npos)
      << all;
  EXPECT_NE(all.find("sync.blink_only.students: expected one of ignore, import, delete, got \"purge\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("sync.blink_only.staff.import_statement: is only used with policy: import"), std::string::npos)
      << all;
  EXPECT_NE(all.find("sync.blink_only.student_logins.import_statement: unknown parameter :shoe_size"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("sync.blink_only.student_logins.extra: unknown key"), std::string::npos) << all;
}

}  // namespace
}  // namespace blink_sync
