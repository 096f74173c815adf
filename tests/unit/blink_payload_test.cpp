#include "mapping/blink_payload.hpp"

#include <gtest/gtest.h>

#include "builders.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

TEST(BlinkPayload, StudentFieldsAsBlinkTypes) {
  auto record = test::student("s1", "Ada", "Byron");
  test::set_field(Entity::student, record.fields, "location_id", "12");
  test::set_field(Entity::student, record.fields, "discharged", "1");

  const auto payload = build_payload(Entity::student, record.fields, std::nullopt);

  EXPECT_EQ(payload, json::parse(R"({
    "first_name": "Ada", "last_name": "Byron", "date_of_birth": "05/06/2010",
    "student_timezone": "America/Denver", "notes": "", "location_id": 12, "discharged": 1
  })"));
}

TEST(BlinkPayload, FlagsAsNumbers) {
  FieldValues fields(Entity::staff);
  test::set_field(Entity::staff, fields, "Schedule-Admin", "1");
  test::set_field(Entity::staff, fields, "Join-by-Link", "0");

  const auto payload = build_payload(Entity::staff, fields, std::nullopt);

  ASSERT_TRUE(payload["Schedule-Admin"].is_number_integer());
  EXPECT_EQ(payload["Schedule-Admin"], 1);
  ASSERT_TRUE(payload["Join-by-Link"].is_number_integer());
  EXPECT_EQ(payload["Join-by-Link"], 0);
}

TEST(BlinkPayload, EmptyLocationIsNull) {
  FieldValues fields(Entity::student);
  test::set_field(Entity::student, fields, "location_id", "");

  const auto payload = build_payload(Entity::student, fields, std::nullopt);

  ASSERT_TRUE(payload.contains("location_id"));
  EXPECT_TRUE(payload["location_id"].is_null());
}

TEST(BlinkPayload, EmptyLocationLeftOutOfCreate) {
  FieldValues fields(Entity::student);
  test::set_field(Entity::student, fields, "location_id", "");
  test::set_field(Entity::student, fields, "first_name", "Ada");

  const auto payload = build_payload(Entity::student, fields, std::nullopt, PayloadKind::create);

  EXPECT_FALSE(payload.contains("location_id"));
  EXPECT_EQ(payload["first_name"], "Ada");
}

TEST(BlinkPayload, UnknownSlotsLeftOut) {
  FieldValues fields(Entity::student_login);
  test::set_field(Entity::student_login, fields, "phone", "719-555-0142");

  const auto payload = build_payload(Entity::student_login, fields, std::nullopt);

  EXPECT_EQ(payload, json::parse(R"({"phone": "719-555-0142"})"));
  EXPECT_EQ(build_payload(Entity::staff, FieldValues(Entity::staff), std::nullopt), json::object());
}

TEST(BlinkPayload, LinkedIdsJoinedAscending) {
  const auto record = test::login("g1", "pat@example.org", {});

  const auto payload = build_payload(Entity::student_login, record.fields,
                                     std::vector<std::int64_t>{232, 44, 232, 7});

  ASSERT_TRUE(payload["linked_student_ids"].is_string());
  EXPECT_EQ(payload["linked_student_ids"], "7,44,232");
  EXPECT_EQ(payload["email"], "pat@example.org");
}

TEST(BlinkPayload, EmptyLinkSetSentAsEmptyText) {
  const auto payload =
      build_payload(Entity::staff, FieldValues(Entity::staff), std::vector<std::int64_t>{});

  ASSERT_TRUE(payload.contains("linked_student_ids"));
  EXPECT_EQ(payload["linked_student_ids"], "");
}

TEST(BlinkPayload, NoLinksKeyWithoutLinkSet) {
  const auto payload = build_payload(Entity::staff, FieldValues(Entity::staff), std::nullopt);

  EXPECT_FALSE(payload.contains("linked_student_ids"));
}

TEST(BlinkPayload, JoinIds) {
  EXPECT_EQ(join_ids({}), "");
  EXPECT_EQ(join_ids({44}), "44");
  EXPECT_EQ(join_ids({232, 44, 44}), "44,232");
}

}  // namespace
}  // namespace blink_sync
