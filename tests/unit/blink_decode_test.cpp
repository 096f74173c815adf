#include "mapping/blink_decode.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "builders.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;
using test::field;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A students list page shaped like the Students GET example of Blink's API v1
// documentation.
constexpr const char* kStudentsPage = R"json({
  "status": {"message": "Success, Students Attached.", "status_code": 200},
  "meta": {"pagination": {"total_count": 41, "total_pages": 1, "current_page": 1, "limit": 500}},
  "data": [
    {
      "id": 80,
      "first_name": "Jon",
      "last_name": "Doe",
      "date_of_birth": "12/01/2017",
      "student_timezone": "Pacific/Kwajalein",
      "organization_id": 1,
      "location_id": null,
      "discharged": 0,
      "notes": "This is a note on the student",
      "created_at": {"date": "2017-12-13 08:48:27.000000", "timezone_type": 3, "timezone": "America/Denver"},
      "updated_at": {"date": "2018-09-10 11:33:14.000000", "timezone_type": 3, "timezone": "America/Denver"},
      "deleted_at": null,
      "linkedStudentLogins": [{"id": 125, "first_name": "Amy", "email": "amydoe@gmail.com"}]
    }
  ]
})json";

// A student-login shaped like the Student-Logins GET example of Blink's API v1
// documentation, read with objects=students,notificationPrefs.
constexpr const char* kLogin = R"json({
  "id": 272,
  "first_name": "Johnny",
  "last_name": "Walker",
  "display_name": "test Test",
  "email": "jon@wiskey.com",
  "phone": "555-555-5555",
  "user_timezone": "America/Denver",
  "updated_at": {"date": "2019-04-18 16:57:51.000000", "timezone_type": 3, "timezone": "America/Denver"},
  "activated": "No",
  "students": [
    {"id": 814, "first_name": "Joe", "last_name": "Student", "discharged": 1},
    {"id": 621, "first_name": "Joe's Sister", "last_name": "Student", "discharged": null}
  ],
  "notificationPrefs": {
    "events_email": 1, "events_sms": 1, "homework_email": 1, "homework_sms": 0,
    "invoices_email": 0, "invoices_sms": 0, "msg_email": 0, "msg_sms": 1
  }
})json";

// A staff member shaped like the Staff POST response of Blink's API v1
// documentation.
constexpr const char* kStaff = R"json({
  "id": 1184,
  "first_name": "New",
  "last_name": "Staff",
  "display_name": "Mrs. Staff",
  "email": "new@staff.com",
  "phone": "555-555-5555",
  "user_timezone": "America/Denver",
  "students": [
    {"id": 949, "first_name": "Bill", "last_name": "Bob", "pivot": {"user_id": 1184, "student_id": 949}},
    {"id": 814, "first_name": "John", "last_name": "Smith", "pivot": {"user_id": 1184, "student_id": 814}}
  ],
  "permissions": [
    {"name": "Organization-User-Admin", "get": 1, "post": 1, "update": 1, "delete": 1},
    {"name": "Schedule-Admin", "get": 1, "post": 1, "update": 1, "delete": 1},
    {"name": "Record-Sessions", "get": 1, "post": 1, "update": 1, "delete": 1}
  ]
})json";

json parse(const char* text) {
  return json::parse(text);
}

RemoteRecord decode_ok(Entity entity, const json& item) {
  auto result = decode_record(entity, item);
  if (const auto* error = std::get_if<DecodeError>(&result)) {
    ADD_FAILURE() << "decode failed: " << error->message;
    return {};
  }
  return std::get<RemoteRecord>(std::move(result));
}

DecodeError decode_error(Entity entity, const json& item) {
  auto result = decode_record(entity, item);
  if (!std::holds_alternative<DecodeError>(result)) {
    ADD_FAILURE() << "decoded a record that should be rejected: " << item.dump();
    return {};
  }
  return std::get<DecodeError>(std::move(result));
}

// ---- Bodies and list pages ----

TEST(BlinkDecode, ListPageWithMeta) {
  const auto result = decode_list_page(parse(kStudentsPage));

  ASSERT_TRUE(std::holds_alternative<ListPage>(result));
  const auto& page = std::get<ListPage>(result);
  EXPECT_EQ(page.pagination.total_count, 41);
  EXPECT_EQ(page.pagination.total_pages, 1);
  EXPECT_EQ(page.pagination.current_page, 1);
  EXPECT_EQ(page.pagination.limit, 500);
  ASSERT_THAT(page.items, SizeIs(1));
  EXPECT_EQ(page.items[0]["id"], 80);
}

TEST(BlinkDecode, PaginationNumbersAsStrings) {
  auto body = parse(kStudentsPage);
  body["meta"]["pagination"]["current_page"] = "2";

  const auto result = decode_list_page(body);

  ASSERT_TRUE(std::holds_alternative<ListPage>(result));
  EXPECT_EQ(std::get<ListPage>(result).pagination.current_page, 2);
}

TEST(BlinkDecode, MissingMetaRejected) {
  auto body = parse(kStudentsPage);
  body.erase("meta");
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(body)));

  auto no_pagination = parse(kStudentsPage);
  no_pagination["meta"] = json::object();
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(no_pagination)));

  auto partial = parse(kStudentsPage);
  partial["meta"]["pagination"].erase("total_pages");
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(partial)));

  auto negative = parse(kStudentsPage);
  negative["meta"]["pagination"]["total_count"] = -1;
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(negative)));
}

TEST(BlinkDecode, DataNotArrayRejected) {
  auto body = parse(kStudentsPage);
  body["data"] = json::object();
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(body)));

  body.erase("data");
  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(body)));

  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_list_page(json::array())));
}

TEST(BlinkDecode, EmptyPageAccepted) {
  auto body = parse(kStudentsPage);
  body["data"] = json::array();
  body["meta"]["pagination"]["total_count"] = 0;

  const auto result = decode_list_page(body);

  ASSERT_TRUE(std::holds_alternative<ListPage>(result));
  EXPECT_TRUE(std::get<ListPage>(result).items.empty());
}

TEST(BlinkDecode, NotJsonRejected) {
  const auto result = parse_body("<html>502 Bad Gateway</html>");
  ASSERT_TRUE(std::holds_alternative<DecodeError>(result));
  EXPECT_FALSE(std::get<DecodeError>(result).id.has_value());

  EXPECT_TRUE(std::holds_alternative<DecodeError>(parse_body("")));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(parse_body("{\"data\": [")));
}

// Copying a parsed value recurses once per level, so a body of nested
// brackets overflowed the stack of the client that copied it.
TEST(BlinkDecode, DeeplyNestedBodyRejected) {
  constexpr int levels = 200000;
  std::string objects;
  for (int i = 0; i < levels; ++i) {
    objects += R"({"a":)";
  }
  objects += "1" + std::string(levels, '}');
  const std::string arrays = std::string(levels, '[') + std::string(levels, ']');

  for (const auto& body : {arrays, objects}) {
    const auto result = parse_body(body);

    ASSERT_TRUE(std::holds_alternative<DecodeError>(result));
    EXPECT_NE(std::get<DecodeError>(result).message.find("deeper than 64 levels"), std::string::npos);
    EXPECT_EQ(status_message(body), "");
  }
}

TEST(BlinkDecode, NestingLimitIgnoresBracketsInStrings) {
  const std::string brackets(1000, '[');
  const std::string body = R"({"status": {"message": ")" + brackets + R"(\"[[[", "status_code": 406}})";

  ASSERT_TRUE(std::holds_alternative<json>(parse_body(body)));
  EXPECT_EQ(status_message(body), brackets + "\"[[[");
}

TEST(BlinkDecode, NestingAtLimitAccepted) {
  const std::string body = std::string(64, '[') + std::string(64, ']');

  EXPECT_TRUE(std::holds_alternative<json>(parse_body(body)));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(parse_body("[" + body + "]")));
}

TEST(BlinkDecode, ParseBodyAcceptsJson) {
  const auto result = parse_body(kStudentsPage);

  ASSERT_TRUE(std::holds_alternative<json>(result));
  EXPECT_TRUE(std::get<json>(result).contains("data"));
}

TEST(BlinkDecode, StatusMessage) {
  EXPECT_EQ(
      status_message(R"({"status": {"message": "Email must be unique", "status_code": 406}})"),
      "Email must be unique");
  EXPECT_EQ(status_message(R"({"status": {"status_code": 500}})"), "");
  EXPECT_EQ(status_message(R"({"status": "failed"})"), "");
  EXPECT_EQ(status_message("Service Unavailable"), "");
  EXPECT_EQ(status_message(""), "");
}

// ---- Ids ----

TEST(BlinkDecode, RecordWithoutIdRejected) {
  auto item = parse(kStaff);
  item.erase("id");
  const auto error = decode_error(Entity::staff, item);
  EXPECT_FALSE(error.id.has_value());

  for (const auto& bad : {json(nullptr), json("abc"), json(0), json(-4), json(1.5), json("12x")}) {
    item["id"] = bad;
    EXPECT_FALSE(decode_error(Entity::staff, item).id.has_value()) << bad.dump();
  }

  EXPECT_TRUE(std::holds_alternative<DecodeError>(decode_record(Entity::staff, json::array())));
}

TEST(BlinkDecode, IdAsString) {
  auto item = parse(kLogin);
  item["id"] = "272";

  EXPECT_EQ(decode_ok(Entity::student_login, item).id, 272);
  EXPECT_EQ(read_id(json("65")), 65);
  EXPECT_EQ(read_id(json(65.0)), 65);
  EXPECT_EQ(read_id(json("")), std::nullopt);
  EXPECT_EQ(read_id(json(true)), std::nullopt);
}

// ---- Students ----

TEST(BlinkDecode, StudentFromListItem) {
  const auto page = std::get<ListPage>(decode_list_page(parse(kStudentsPage)));

  const auto record = decode_ok(Entity::student, page.items[0]);

  EXPECT_EQ(record.id, 80);
  const auto& fields = record.fields;
  EXPECT_EQ(field(Entity::student, fields, "first_name"), "Jon");
  EXPECT_EQ(field(Entity::student, fields, "last_name"), "Doe");
  EXPECT_EQ(field(Entity::student, fields, "date_of_birth"), "12/01/2017");
  EXPECT_EQ(field(Entity::student, fields, "student_timezone"), "Pacific/Kwajalein");
  EXPECT_EQ(field(Entity::student, fields, "notes"), "This is a note on the student");
  EXPECT_EQ(field(Entity::student, fields, "location_id"), "");
  EXPECT_EQ(field(Entity::student, fields, "discharged"), "0");
  EXPECT_FALSE(record.linked_students.has_value());
  EXPECT_EQ(record.updated_at, "2018-09-10 11:33:14.000000");
}

TEST(BlinkDecode, NullDischargedIsZero) {
  auto item = parse(kStudentsPage)["data"][0];
  item["discharged"] = nullptr;
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "discharged"), "0");

  item.erase("discharged");
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "discharged"), "0");
}

TEST(BlinkDecode, DischargedForms) {
  auto item = parse(kStudentsPage)["data"][0];
  for (const auto& on : {json(1), json("1"), json(true), json(1.0)}) {
    item["discharged"] = on;
    EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "discharged"), "1")
        << on.dump();
  }
  for (const auto& off : {json(0), json("0"), json(false)}) {
    item["discharged"] = off;
    EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "discharged"), "0")
        << off.dump();
  }
}

TEST(BlinkDecode, LocationIdForms) {
  auto item = parse(kStudentsPage)["data"][0];
  item["location_id"] = 12;
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "location_id"), "12");

  item["location_id"] = "7";
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "location_id"), "7");

  item["location_id"] = "";
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "location_id"), "");

  item.erase("location_id");
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "location_id"), "");
}

TEST(BlinkDecode, IsoDateOfBirthConverted) {
  auto item = parse(kStudentsPage)["data"][0];
  item["date_of_birth"] = "2017-12-01";
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "date_of_birth"),
            "12/01/2017");

  item["date_of_birth"] = "2017-12-01 00:00:00";
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "date_of_birth"),
            "12/01/2017");

  item["date_of_birth"] = nullptr;
  EXPECT_EQ(field(Entity::student, decode_ok(Entity::student, item).fields, "date_of_birth"), "");
}

TEST(BlinkDecode, StudentPostResponseWithoutSomeKeys) {
  // Shaped like the Students POST response of Blink's API v1 documentation:
  // no location_id, no discharged, and a plain updated_at.
  const auto item = json::parse(R"json({
    "first_name": "New", "last_name": "Student", "date_of_birth": "04/03/1990",
    "notes": "Note about this student", "organization_id": 1,
    "student_timezone": "America/Los_Angeles", "updated_at": "2019-05-06 17:45:19",
    "created_at": "2019-05-06 17:45:19", "id": 951, "location": ""
  })json");

  const auto record = decode_ok(Entity::student, item);

  EXPECT_EQ(record.id, 951);
  EXPECT_EQ(field(Entity::student, record.fields, "location_id"), "");
  EXPECT_EQ(field(Entity::student, record.fields, "discharged"), "0");
  EXPECT_EQ(record.updated_at, "2019-05-06 17:45:19");
}

// ---- Timestamps ----

TEST(BlinkDecode, TimestampShapes) {
  EXPECT_EQ(
      read_timestamp_text(json::parse(
          R"({"date": "2019-04-18 17:53:20.000000", "timezone_type": 3, "timezone": "America/Denver"})")),
      "2019-04-18 17:53:20.000000");
  EXPECT_EQ(read_timestamp_text(json("2019-04-25 10:39:49")), "2019-04-25 10:39:49");
  EXPECT_EQ(read_timestamp_text(json("Apr 9, 2018,  4:25 pm")), "Apr 9, 2018,  4:25 pm");
  EXPECT_EQ(read_timestamp_text(json(nullptr)), "");
  EXPECT_EQ(read_timestamp_text(json::object()), "");
  EXPECT_EQ(read_timestamp_text(json(1555000000)), "");
}

TEST(BlinkDecode, UpdatedAtInEveryShape) {
  auto item = parse(kStudentsPage)["data"][0];
  item["updated_at"] = "Apr 19, 2019,  3:40 pm";
  EXPECT_EQ(decode_ok(Entity::student, item).updated_at, "Apr 19, 2019,  3:40 pm");

  item["updated_at"] = nullptr;
  EXPECT_EQ(decode_ok(Entity::student, item).updated_at, "");
}

// ---- Student-logins ----

TEST(BlinkDecode, LoginWithStudentsAndPreferences) {
  const auto record = decode_ok(Entity::student_login, parse(kLogin));

  EXPECT_EQ(record.id, 272);
  const auto& fields = record.fields;
  constexpr auto login = Entity::student_login;
  EXPECT_EQ(field(login, fields, "first_name"), "Johnny");
  EXPECT_EQ(field(login, fields, "email"), "jon@wiskey.com");
  EXPECT_EQ(field(login, fields, "phone"), "555-555-5555");
  ASSERT_TRUE(record.linked_students.has_value());
  EXPECT_THAT(*record.linked_students, ElementsAre(621, 814));

  EXPECT_EQ(field(login, fields, "events_email"), "1");
  EXPECT_EQ(field(login, fields, "events_sms"), "1");
  EXPECT_EQ(field(login, fields, "homework_email"), "1");
  EXPECT_EQ(field(login, fields, "homework_sms"), "0");
  EXPECT_EQ(field(login, fields, "invoices_email"), "0");
  EXPECT_EQ(field(login, fields, "invoices_sms"), "0");
  EXPECT_EQ(field(login, fields, "msg_email"), "0");
  EXPECT_EQ(field(login, fields, "msg_sms"), "1");
  EXPECT_EQ(record.updated_at, "2019-04-18 16:57:51.000000");
}

TEST(BlinkDecode, LoginWithoutObjects) {
  auto item = parse(kLogin);
  item.erase("students");
  item.erase("notificationPrefs");

  const auto record = decode_ok(Entity::student_login, item);

  EXPECT_FALSE(record.linked_students.has_value());
  EXPECT_FALSE(field(Entity::student_login, record.fields, "events_email").has_value());
  EXPECT_FALSE(field(Entity::student_login, record.fields, "msg_sms").has_value());
}

TEST(BlinkDecode, LoginWithNoStudents) {
  auto item = parse(kLogin);
  item["students"] = json::array();
  const auto empty = decode_ok(Entity::student_login, item);
  ASSERT_TRUE(empty.linked_students.has_value());
  EXPECT_TRUE(empty.linked_students->empty());

  item["students"] = nullptr;
  const auto null = decode_ok(Entity::student_login, item);
  ASSERT_TRUE(null.linked_students.has_value());
  EXPECT_TRUE(null.linked_students->empty());
}

TEST(BlinkDecode, LinkedIdsSortedAndUnique) {
  auto item = parse(kLogin);
  item["students"] = json::parse(R"([{"id": 9}, {"id": "3"}, {"id": 9}])");

  const auto record = decode_ok(Entity::student_login, item);

  ASSERT_TRUE(record.linked_students.has_value());
  EXPECT_THAT(*record.linked_students, ElementsAre(3, 9));
}

TEST(BlinkDecode, PhoneAsNumber) {
  auto item = parse(kLogin);
  item["phone"] = 7195550142;

  EXPECT_EQ(field(Entity::student_login, decode_ok(Entity::student_login, item).fields, "phone"),
            "7195550142");
}

// ---- Staff ----

TEST(BlinkDecode, StaffPermissionsToFlags) {
  const auto record = decode_ok(Entity::staff, parse(kStaff));

  const auto& fields = record.fields;
  EXPECT_EQ(field(Entity::staff, fields, "display_name"), "Mrs. Staff");
  EXPECT_EQ(field(Entity::staff, fields, "user_timezone"), "America/Denver");
  EXPECT_EQ(field(Entity::staff, fields, "Organization-General-Admin"), "0");
  EXPECT_EQ(field(Entity::staff, fields, "Organization-User-Admin"), "1");
  EXPECT_EQ(field(Entity::staff, fields, "Schedule-Admin"), "1");
  EXPECT_EQ(field(Entity::staff, fields, "Record-Sessions"), "1");
  EXPECT_EQ(field(Entity::staff, fields, "Staff-Access"), "0");
  EXPECT_EQ(field(Entity::staff, fields, "Logins-Access"), "0");
  EXPECT_EQ(field(Entity::staff, fields, "Join-by-Link"), "0");
}

TEST(BlinkDecode, PermissionWithoutRightsIsOff) {
  auto item = parse(kStaff);
  item["permissions"] = json::parse(R"([
    {"name": "Schedule-Admin", "get": 0, "post": 0, "update": 0, "delete": 0},
    {"name": "Join-by-Link"},
    {"name": "Not-A-Permission", "get": 1}
  ])");

  const auto record = decode_ok(Entity::staff, item);

  EXPECT_EQ(field(Entity::staff, record.fields, "Schedule-Admin"), "0");
  EXPECT_EQ(field(Entity::staff, record.fields, "Join-by-Link"), "1");
  EXPECT_EQ(field(Entity::staff, record.fields, "Record-Sessions"), "0");
}

TEST(BlinkDecode, StaffWithoutPermissionsLeavesFlagsUnknown) {
  auto item = parse(kStaff);
  item.erase("permissions");

  const auto record = decode_ok(Entity::staff, item);

  EXPECT_FALSE(field(Entity::staff, record.fields, "Schedule-Admin").has_value());
  EXPECT_FALSE(field(Entity::staff, record.fields, "Join-by-Link").has_value());
}

TEST(BlinkDecode, StaffLinksFromStudents) {
  const auto record = decode_ok(Entity::staff, parse(kStaff));

  ASSERT_TRUE(record.linked_students.has_value());
  EXPECT_THAT(*record.linked_students, ElementsAre(814, 949));
}

TEST(BlinkDecode, StaffLinksFromLinkedLoginsObject) {
  auto item = parse(kStaff);
  item.erase("students");
  item["studentsWithLinkedStudentLogins"] = json::parse(R"([
    {"id": 80, "first_name": "BlinkSession", "pivot": {"user_id": 16, "student_id": 80},
     "linked_student_logins": [{"id": 125, "email": "support@blinklesson.app"}]}
  ])");

  const auto record = decode_ok(Entity::staff, item);

  ASSERT_TRUE(record.linked_students.has_value());
  EXPECT_THAT(*record.linked_students, ElementsAre(80));
}

TEST(BlinkDecode, StaffWithoutStudentObjects) {
  auto item = parse(kStaff);
  item.erase("students");

  EXPECT_FALSE(decode_ok(Entity::staff, item).linked_students.has_value());
}

// ---- Wrong types ----

TEST(BlinkDecode, WrongTypesCarryTheId) {
  struct Case {
    Entity entity;
    const char* record;
    const char* key;
    json value;
  };
  const Case cases[] = {
      {Entity::staff, kStaff, "first_name", json(true)},
      {Entity::staff, kStaff, "email", json::object()},
      {Entity::staff, kStaff, "permissions", json("Schedule-Admin")},
      {Entity::staff, kStaff, "students", json("814,949")},
      {Entity::student_login, kLogin, "students", json::parse(R"([{"name": "no id"}])")},
      {Entity::student_login, kLogin, "notificationPrefs", json::array()},
      {Entity::student_login, kLogin, "phone", json::array()},
  };
  for (const auto& c : cases) {
    auto item = parse(c.record);
    item[c.key] = c.value;

    const auto error = decode_error(c.entity, item);

    EXPECT_EQ(error.id, item["id"].get<std::int64_t>()) << c.key;
    EXPECT_THAT(error.message, HasSubstr(c.key)) << c.key;
  }
}

TEST(BlinkDecode, BadStudentFieldsCarryTheId) {
  auto item = parse(kStudentsPage)["data"][0];
  item["discharged"] = 2;
  auto error = decode_error(Entity::student, item);
  EXPECT_EQ(error.id, 80);
  EXPECT_THAT(error.message, HasSubstr("discharged"));

  item["discharged"] = 0;
  item["location_id"] = "HQ";
  error = decode_error(Entity::student, item);
  EXPECT_EQ(error.id, 80);
  EXPECT_THAT(error.message, HasSubstr("location_id"));
}

TEST(BlinkDecode, BadPreferenceCarriesTheId) {
  auto item = parse(kLogin);
  item["notificationPrefs"]["msg_sms"] = "sometimes";

  const auto error = decode_error(Entity::student_login, item);

  EXPECT_EQ(error.id, 272);
  EXPECT_THAT(error.message, HasSubstr("msg_sms"));
}

}  // namespace
}  // namespace blink_sync
