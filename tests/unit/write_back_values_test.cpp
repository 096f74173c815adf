#include "mapping/write_back_values.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mapping/blink_decode.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

// A staff record shaped like the Staff GET example of Blink's API v1
// documentation.
const json kStaff = json::parse(R"json({
  "id": 16,
  "first_name": "Blink",
  "last_name": "Session",
  "display_name": "Blink Lesson",
  "email": "info@example.com",
  "phone": "719-555-5555",
  "user_timezone": "America/Denver",
  "created_at": {"date": "2017-07-02 09:04:41.000000", "timezone_type": 3, "timezone": "America/Denver"},
  "updated_at": {"date": "2019-04-18 17:53:20.000000", "timezone_type": 3, "timezone": "America/Denver"},
  "activated": "Yes",
  "join_by_link": "https://login.example.app/joinsession/23n98v892n3f",
  "studentsWithLinkedStudentLogins": [{"id": 80}, {"id": 12}]
})json");

RemoteRecord decoded(Entity entity, const json& item) {
  auto result = decode_record(entity, item);
  if (const auto* error = std::get_if<DecodeError>(&result)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<RemoteRecord>(std::move(result));
}

TEST(BlinkOnlyValues, StaffDecoded) {
  const auto record = decoded(Entity::staff, kStaff);
  EXPECT_EQ(record.join_by_link, "https://login.example.app/joinsession/23n98v892n3f");
  EXPECT_EQ(record.activated, true);
  EXPECT_EQ(record.created_at, "2017-07-02 09:04:41.000000");
  EXPECT_FALSE(record.assumed);
}

TEST(BlinkOnlyValues, ActivatedNoAndMissing) {
  auto item = kStaff;
  item["activated"] = "No";
  EXPECT_EQ(decoded(Entity::staff, item).activated, false);
  item.erase("activated");
  EXPECT_EQ(decoded(Entity::staff, item).activated, std::nullopt);
}

TEST(BlinkOnlyValues, OddActivatedLeavesRecordReadable) {
  auto item = kStaff;
  item["activated"] = "Pending";
  item["join_by_link"] = 7;
  const auto record = decoded(Entity::staff, item);
  EXPECT_EQ(record.activated, std::nullopt);
  EXPECT_EQ(record.join_by_link, std::nullopt);
  EXPECT_EQ(record.id, 16);
}

TEST(BlinkOnlyValues, StudentHasNone) {
  const auto record = decoded(Entity::student, json::parse(R"({"id": 3, "first_name": "A", "last_name": "B",
      "date_of_birth": "01/02/2010", "student_timezone": "UTC", "activated": "Yes", "created_at": "Apr 9, 2018,  4:25 pm"})"));
  EXPECT_EQ(record.activated, std::nullopt);
  EXPECT_EQ(record.created_at, "Apr 9, 2018,  4:25 pm");
}

TEST(WriteBackValues, FromStaffRecord) {
  const auto record = decoded(Entity::staff, kStaff);
  const auto values = write_back_values(Entity::staff, "c7", 16, &record);
  EXPECT_EQ(values.value_of("local_id"), "c7");
  EXPECT_EQ(values.value_of("blink_id"), "16");
  EXPECT_EQ(values.value_of("entity"), "staff");
  EXPECT_EQ(values.value_of("activated"), "true");
  EXPECT_EQ(values.value_of("join_by_link"), "https://login.example.app/joinsession/23n98v892n3f");
  EXPECT_EQ(values.value_of("created_at"), "2017-07-02 09:04:41");
  EXPECT_EQ(values.value_of("updated_at"), "2019-04-18 17:53:20");
  EXPECT_EQ(values.value_of("linked_student_ids"), "{12,80}");
  EXPECT_EQ(values.value_of("user_timezone"), "America/Denver");
  EXPECT_EQ(values.value_of("phone"), "719-555-5555");
}

TEST(WriteBackValues, UnknownValuesAreNull) {
  const auto values = write_back_values(Entity::staff, "c7", 16, nullptr);
  EXPECT_EQ(values.value_of("join_by_link"), std::nullopt);
  EXPECT_EQ(values.value_of("activated"), std::nullopt);
  EXPECT_EQ(values.value_of("phone"), std::nullopt);
  EXPECT_EQ(values.value_of("blink_id"), "16");
}

TEST(WriteBackValues, SentFieldsWhenNothingReturned) {
  FieldValues sent(Entity::student);
  sent.set(*field_index(Entity::student, "first_name"), "Ana");
  const auto values = write_back_values(Entity::student, "p1", 5, nullptr, &sent);
  EXPECT_EQ(values.value_of("first_name"), "Ana");
  EXPECT_EQ(values.value_of("last_name"), std::nullopt);
}

TEST(ChangedInBlinkValues, FieldsFromRosterUnlessPulled) {
  const auto remote = decoded(Entity::staff, kStaff);
  auto roster = remote.fields;
  roster.set(*field_index(Entity::staff, "first_name"), "Roster");
  roster.set(*field_index(Entity::staff, "phone"), "719-555-0100");
  FieldValues pulled(Entity::staff);
  pulled.set(*field_index(Entity::staff, "phone"), "719-555-5555");

  const auto values = changed_in_blink_values(Entity::staff, "7", 16, &remote, &roster, pulled);

  EXPECT_EQ(values.value_of("first_name"), "Roster") << "Blink's drift reached the roster";
  EXPECT_EQ(values.value_of("phone"), "719-555-5555");
  EXPECT_EQ(values.value_of("pulled_fields"), "{phone}");
  EXPECT_EQ(values.value_of("join_by_link"), "https://login.example.app/joinsession/23n98v892n3f");
  EXPECT_EQ(values.value_of("activated"), "true");
}

TEST(ChangedInBlinkValues, NothingPulled) {
  const auto remote = decoded(Entity::staff, kStaff);

  const auto values = changed_in_blink_values(Entity::staff, "7", 16, &remote, nullptr, FieldValues());

  EXPECT_EQ(values.value_of("first_name"), std::nullopt);
  EXPECT_EQ(values.value_of("pulled_fields"), "{}");
}

}  // namespace
}  // namespace blink_sync
