#include "mapping/write_back_statement.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace blink_sync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

PositionalStatement translate(const std::string& sql, Entity entity = Entity::staff) {
  auto result = to_positional(sql, write_back_parameter_names(entity));
  if (const auto* problem = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "unexpected problem: " << *problem;
    return {};
  }
  return std::get<PositionalStatement>(std::move(result));
}

std::string problem_of(const std::string& sql, Entity entity = Entity::staff) {
  auto result = to_positional(sql, write_back_parameter_names(entity));
  if (const auto* problem = std::get_if<std::string>(&result)) {
    return *problem;
  }
  ADD_FAILURE() << "expected a problem, got " << std::get<PositionalStatement>(result).sql;
  return {};
}

TEST(WriteBackStatement, NamesBecomeNumberedInOrder) {
  const auto statement = translate("UPDATE t SET a = :blink_id, b = :join_by_link WHERE id = :local_id");
  EXPECT_EQ(statement.sql, "UPDATE t SET a = $1, b = $2 WHERE id = $3");
  EXPECT_THAT(statement.parameters, ElementsAre("blink_id", "join_by_link", "local_id"));
}

TEST(WriteBackStatement, RepeatedNameKeepsItsNumber) {
  const auto statement = translate("UPDATE t SET a = :blink_id WHERE id = :local_id AND a IS DISTINCT FROM :blink_id");
  EXPECT_EQ(statement.sql, "UPDATE t SET a = $1 WHERE id = $2 AND a IS DISTINCT FROM $1");
  EXPECT_THAT(statement.parameters, ElementsAre("blink_id", "local_id"));
}

TEST(WriteBackStatement, CastStaysACast) {
  const auto statement = translate("UPDATE t SET a = :blink_id::bigint WHERE id = :local_id::integer");
  EXPECT_EQ(statement.sql, "UPDATE t SET a = $1::bigint WHERE id = $2::integer");
}

TEST(WriteBackStatement, QuotedTextIsLeftAlone) {
  const auto statement =
      translate("UPDATE t SET note = 'at :blink_id', \"odd:name\" = E'it\\'s :local_id' WHERE id = :local_id");
  EXPECT_EQ(statement.sql, "UPDATE t SET note = 'at :blink_id', \"odd:name\" = E'it\\'s :local_id' WHERE id = $1");
  EXPECT_THAT(statement.parameters, ElementsAre("local_id"));
}

TEST(WriteBackStatement, DoubledQuoteStaysInsideText) {
  const auto statement = translate("UPDATE t SET note = 'it''s :entity' WHERE id = :local_id");
  EXPECT_EQ(statement.sql, "UPDATE t SET note = 'it''s :entity' WHERE id = $1");
}

TEST(WriteBackStatement, DollarQuoteIsLeftAlone) {
  const auto statement = translate("UPDATE t SET a = $tag$ :blink_id $tag$, b = $$:x$$ WHERE id = :local_id");
  EXPECT_EQ(statement.sql, "UPDATE t SET a = $tag$ :blink_id $tag$, b = $$:x$$ WHERE id = $1");
}

TEST(WriteBackStatement, CommentsAreLeftAlone) {
  const auto statement = translate(
      "-- set :blink_id\nUPDATE t /* :nothing /* nested */ still */ SET a = :blink_id WHERE id = :local_id");
  EXPECT_EQ(statement.sql, "-- set :blink_id\nUPDATE t /* :nothing /* nested */ still */ SET a = $1 WHERE id = $2");
}

TEST(WriteBackStatement, FieldsByBlinkKey) {
  const auto statement = translate("UPDATE t SET tz = :user_timezone, p = :phone, j = :permission_join_by_link");
  EXPECT_THAT(statement.parameters, ElementsAre("user_timezone", "phone", "permission_join_by_link"));
}

TEST(WriteBackStatement, StudentFieldsByBlinkKey) {
  const auto statement = translate("UPDATE t SET born = :date_of_birth WHERE id = :local_id", Entity::student);
  EXPECT_THAT(statement.parameters, ElementsAre("date_of_birth", "local_id"));
}

TEST(WriteBackStatement, UnknownNameRejected) {
  const auto problem = problem_of("UPDATE t SET a = :blink_idd WHERE id = :local_id");
  EXPECT_THAT(problem, HasSubstr("unknown parameter :blink_idd"));
  EXPECT_THAT(problem, HasSubstr(":blink_id"));
}

TEST(WriteBackStatement, OtherEntitysFieldRejected) {
  EXPECT_THAT(problem_of("UPDATE t SET a = :user_timezone", Entity::student), HasSubstr(":user_timezone"));
}

TEST(WriteBackStatement, PositionalParameterRejected) {
  EXPECT_THAT(problem_of("UPDATE t SET a = $1 WHERE id = :local_id"), HasSubstr("positional parameters"));
}

TEST(WriteBackStatement, UnclosedQuoteRejected) {
  EXPECT_THAT(problem_of("UPDATE t SET a = 'open WHERE id = :local_id"), HasSubstr("quoted text"));
  EXPECT_THAT(problem_of("UPDATE t SET a = $x$ open"), HasSubstr("dollar-quoted"));
  EXPECT_THAT(problem_of("UPDATE t /* open"), HasSubstr("comment"));
}

TEST(WriteBackStatement, EmptyStatementRejected) {
  EXPECT_THAT(problem_of("  ;\n"), HasSubstr("empty"));
}

TEST(WriteBackStatement, DollarInsideIdentifierKept) {
  const auto statement = translate("UPDATE t SET a$1 = :blink_id");
  EXPECT_EQ(statement.sql, "UPDATE t SET a$1 = $1");
}

TEST(WriteBackStatement, EventNamesRoundTrip) {
  for (const auto event : kWriteBackEvents) {
    EXPECT_EQ(write_back_event_from_name(write_back_event_name(event)), event);
  }
  EXPECT_FALSE(write_back_event_from_name("deleted"));
}

}  // namespace
}  // namespace blink_sync
