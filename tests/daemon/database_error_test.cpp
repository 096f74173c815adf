#include <gtest/gtest.h>

#include <pqxx/except>

#include <stdexcept>

#include "daemon/database_error.hpp"

namespace blink_sync {
namespace {

TEST(DatabaseError, MasksQuotedValues) {
  const pqxx::data_exception error(
      "ERROR:  invalid input syntax for type date: \"2014-04-11Horace\"\nLINE 1: SELECT ...\n", "SELECT 1", "22007");

  const auto description = describe_database_error(error);

  EXPECT_EQ(description, "ERROR:  invalid input syntax for type date: \"<value>\" (SQLSTATE 22007)");
  EXPECT_EQ(description.find("Horace"), std::string::npos);
}

TEST(DatabaseError, KeepsConstraintNames) {
  const pqxx::unique_violation error(
      "ERROR:  duplicate key value violates unique constraint \"mapping_user_blink_id\"\nDETAIL:  Key (blink_id)=(1002) "
      "already exists.\n",
      "INSERT", "23505");

  EXPECT_EQ(describe_database_error(error),
            "ERROR:  duplicate key value violates unique constraint \"mapping_user_blink_id\" (SQLSTATE 23505)");
}

TEST(DatabaseError, KeepsFirstLineOnly) {
  const std::runtime_error error("connection to server failed\n\tIs the server running on that host?\n");

  EXPECT_EQ(describe_database_error(error), "connection to server failed");
}

TEST(DatabaseError, OneLineJoinsLines) {
  EXPECT_EQ(one_line("first\nsecond\r\nthird\n"), "first second  third");
}

}  // namespace
}  // namespace blink_sync
