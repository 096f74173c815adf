#include "mapping/write_back_statement.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

const std::vector<std::string> kAllowed = {"local_id", "blink_event_id", "status"};

TEST(NamedParameters, NumbersNamesInOrderOfUse) {
  const auto result = to_positional(
      "UPDATE roster.appointments SET status = :status, blink_event_id = :blink_event_id "
      "WHERE id = :local_id::int AND status <> :status",
      kAllowed);
  ASSERT_TRUE(std::holds_alternative<PositionalStatement>(result)) << std::get<std::string>(result);
  const auto& statement = std::get<PositionalStatement>(result);
  EXPECT_EQ(statement.sql,
            "UPDATE roster.appointments SET status = $1, blink_event_id = $2 WHERE id = $3::int AND status <> $1");
  EXPECT_EQ(statement.parameters, (std::vector<std::string>{"status", "blink_event_id", "local_id"}));
}

TEST(NamedParameters, LeavesQuotesAndCommentsAlone) {
  const auto result = to_positional("SELECT ':status', \":x\" -- :nope\n, :status /* :no */", kAllowed);
  ASSERT_TRUE(std::holds_alternative<PositionalStatement>(result));
  EXPECT_EQ(std::get<PositionalStatement>(result).sql, "SELECT ':status', \":x\" -- :nope\n, $1 /* :no */");
}

TEST(NamedParameters, UnknownNameIsError) {
  const auto result = to_positional("UPDATE t SET a = :colour", kAllowed);
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find(":colour"), std::string::npos);
}

}  // namespace
}  // namespace blink_sync
