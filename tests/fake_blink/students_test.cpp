// Student endpoints.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

class StudentsTest : public FakeBlinkTest {
 protected:
  static json state_of_student(std::int64_t id) {
    const json state = control().state();
    for (const json& student : state["students"]) {
      if (student["id"] == id) {
        return student;
      }
    }
    return nullptr;
  }
};

TEST_F(StudentsTest, PostReturnsDocumentShape) {
  json payload = student_payload("New", "Student", "04/03/1990");
  payload["notes"] = "Note about this student";

  const HttpResponse response = api("POST", "/v1/students", payload);

  ASSERT_EQ(response.status, 200) << response.body;
  const json data = response.json()["data"];
  EXPECT_GE(data["id"].get<std::int64_t>(), 5001);
  EXPECT_EQ(data["date_of_birth"], "04/03/1990");
  EXPECT_EQ(data["notes"], "Note about this student");
  EXPECT_EQ(data["organization_id"], 1);
  EXPECT_EQ(data["location"], "");
  EXPECT_TRUE(data["created_at"].is_string());
}

TEST_F(StudentsTest, DischargedIsNullUntilSet) {
  const std::int64_t id = create("students", student_payload("Ann", "Lee"));
  const std::string target = "/v1/students/" + std::to_string(id);

  EXPECT_TRUE(api("GET", target).json()["data"]["discharged"].is_null());

  const HttpResponse updated = api("PUT", target, {{"discharged", 1}});

  EXPECT_EQ(updated.json()["data"]["discharged"], 1);
  EXPECT_EQ(api("GET", target).json()["data"]["discharged"], 1);
}

TEST_F(StudentsTest, RequiresEachField) {
  for (const char* field : {"first_name", "last_name", "date_of_birth", "student_timezone"}) {
    json payload = student_payload("Ann", "Lee");
    payload.erase(field);

    const HttpResponse response = api("POST", "/v1/students", payload);

    EXPECT_EQ(response.status, 406) << field;
    EXPECT_EQ(response.json()["status"]["message"], std::string{field} + " is required");
  }
}

TEST_F(StudentsTest, DuplicateIgnoringCaseIs406) {
  create("students", student_payload("Ann", "Lee", "01/02/2010"));

  const HttpResponse duplicate =
      api("POST", "/v1/students", student_payload("ANN", "lee", "01/02/2010"));
  const HttpResponse other_birthday =
      api("POST", "/v1/students", student_payload("Ann", "Lee", "01/03/2010"));

  EXPECT_EQ(duplicate.status, 406);
  EXPECT_EQ(duplicate.json()["status"]["message"],
            "student already exists with the same first_name, last_name and date_of_birth");
  EXPECT_EQ(other_birthday.status, 200);
}

TEST_F(StudentsTest, BadDateOfBirthIs406) {
  for (const char* date : {"13/01/2010", "02/30/2010", "2010-01-02", "1/2/2010", "02/29/2011", ""}) {
    const HttpResponse response = api("POST", "/v1/students", student_payload("Ann", "Lee", date));

    EXPECT_EQ(response.status, 406) << date;
  }
  EXPECT_EQ(api("POST", "/v1/students", student_payload("Ann", "Lee", "02/29/2012")).status, 200);
}

TEST_F(StudentsTest, BadTimezoneIs406) {
  json payload = student_payload("Ann", "Lee");
  payload["student_timezone"] = "Pacific/Las_Angelas";

  const HttpResponse response = api("POST", "/v1/students", payload);

  EXPECT_EQ(response.status, 406);
  EXPECT_TRUE(response.json()["status"]["message"].get<std::string>().starts_with(
      "student_timezone must be a valid timezone"));
}

TEST_F(StudentsTest, LocationIdTakesIntegerOrNull) {
  json payload = student_payload("Ann", "Lee");
  payload["location_id"] = 15;
  const std::int64_t id = create("students", payload);
  const std::string target = "/v1/students/" + std::to_string(id);

  EXPECT_EQ(state_of_student(id)["location_id"], 15);
  EXPECT_EQ(api("PUT", target, {{"location_id", nullptr}}).status, 200);
  EXPECT_TRUE(state_of_student(id)["location_id"].is_null());
  EXPECT_EQ(api("PUT", target, {{"location_id", "school"}}).status, 406);
}

TEST_F(StudentsTest, PutKeepsDuplicateCheck) {
  create("students", student_payload("Ann", "Lee", "01/02/2010"));
  const std::int64_t other = create("students", student_payload("Bob", "Lee", "01/02/2010"));
  const std::string target = "/v1/students/" + std::to_string(other);

  const HttpResponse duplicate = api("PUT", target, {{"first_name", "ann"}});
  const HttpResponse unchanged_names = api("PUT", target, {{"notes", "fine"}});

  EXPECT_EQ(duplicate.status, 406);
  EXPECT_EQ(state_of_student(other)["first_name"], "Bob");
  EXPECT_EQ(unchanged_names.status, 200);
}

TEST_F(StudentsTest, PutReturnsUpdatedShape) {
  const std::int64_t id = create("students", student_payload("Ann", "Lee"));

  const HttpResponse response =
      api("PUT", "/v1/students/" + std::to_string(id), {{"first_name", "Joe"}, {"discharged", "0"}});

  ASSERT_EQ(response.status, 200) << response.body;
  const json data = response.json()["data"];
  EXPECT_EQ(data["first_name"], "Joe");
  EXPECT_EQ(data["discharged"], 0);
  EXPECT_TRUE(data["location_id"].is_null());
  EXPECT_EQ(data["student_timezone"], "America/New_York");
}

TEST_F(StudentsTest, DeleteRemovesEveryLink) {
  const std::int64_t student = create("students", student_payload("Ann", "Lee"));
  const std::int64_t remaining = create("students", student_payload("Bob", "Lee"));
  const std::string both = std::to_string(student) + "," + std::to_string(remaining);
  json staff = staff_payload("s@x.org");
  staff["linked_student_ids"] = both;
  create("staff", staff);
  create("student-logins", login_payload("l@x.org", both));

  const HttpResponse deleted = api("DELETE", "/v1/students/" + std::to_string(student));

  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.json()["status"]["message"], "Success, student deleted.");
  const json state = control().state();
  EXPECT_EQ(state["staff"][0]["linked_student_ids"], json({remaining}));
  EXPECT_EQ(state["student_logins"][0]["linked_student_ids"], json({remaining}));
  EXPECT_EQ(api("GET", "/v1/students/" + std::to_string(student)).status, 404);
}

TEST_F(StudentsTest, UnknownIdIs404) {
  EXPECT_EQ(api("GET", "/v1/students/5999").status, 404);
  EXPECT_EQ(api("PUT", "/v1/students/5999", {{"notes", ""}}).status, 404);
  EXPECT_EQ(api("DELETE", "/v1/students/5999").status, 404);
}

}  // namespace
}  // namespace fake_blink::testing
