// GET lists: pagination, sorting and nested objects.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

class ListsTest : public FakeBlinkTest {
 protected:
  // Seeds `count` students named Student0, Student1, ... and returns their ids.
  static json seed_students(int count) {
    json students = json::array();
    for (int index = 0; index < count; ++index) {
      students.push_back(student_payload("Student" + std::to_string(index), "Lee"));
    }
    return control().seed({{"students", students}})["students"];
  }

  static std::vector<std::int64_t> ids_of(const json& data) {
    std::vector<std::int64_t> ids;
    for (const json& record : data) {
      ids.push_back(record["id"]);
    }
    return ids;
  }
};

TEST_F(ListsTest, LimitAndPageSelectRecords) {
  const json ids = seed_students(7);

  const json first = api("GET", "/v1/students?limit=3").json();
  const json last = api("GET", "/v1/students?limit=3&page=3").json();

  const json& meta = first["meta"]["pagination"];
  EXPECT_EQ(meta["total_count"], 7);
  EXPECT_EQ(meta["total_pages"], 3);
  EXPECT_EQ(meta["current_page"], 1);
  EXPECT_EQ(meta["limit"], 3);
  EXPECT_EQ(ids_of(first["data"]), (std::vector<std::int64_t>{ids[0], ids[1], ids[2]}));
  EXPECT_EQ(last["meta"]["pagination"]["current_page"], 3);
  EXPECT_EQ(ids_of(last["data"]), std::vector<std::int64_t>{ids[6]});
}

TEST_F(ListsTest, PagePastLastIsEmpty) {
  seed_students(2);

  const json beyond = api("GET", "/v1/students?limit=1&page=4").json();

  EXPECT_TRUE(beyond["data"].is_array());
  EXPECT_TRUE(beyond["data"].empty());
  EXPECT_EQ(beyond["meta"]["pagination"]["current_page"], 4);
  EXPECT_EQ(beyond["meta"]["pagination"]["total_pages"], 2);
}

TEST_F(ListsTest, EmptyListHasOnePage) {
  const json empty = api("GET", "/v1/staff").json();

  EXPECT_TRUE(empty["data"].empty());
  EXPECT_EQ(empty["meta"]["pagination"]["total_count"], 0);
  EXPECT_EQ(empty["meta"]["pagination"]["total_pages"], 1);
  EXPECT_EQ(empty["meta"]["pagination"]["limit"], 500);
}

TEST_F(ListsTest, LimitAbove500IsClamped) {
  seed_students(1);

  const json list = api("GET", "/v1/students?limit=1000").json();

  EXPECT_EQ(list["meta"]["pagination"]["limit"], 500);
}

TEST_F(ListsTest, InvalidParametersAre406) {
  for (const char* target :
       {"/v1/students?limit=0", "/v1/students?limit=-3", "/v1/students?limit=ten",
        "/v1/students?page=0", "/v1/students?page=x", "/v1/students?sort=first_name",
        "/v1/staff?sort=password", "/v1/student-logins?sort=email",
        "/v1/staff?direction=sideways"}) {
    const HttpResponse response = api("GET", target);

    EXPECT_EQ(response.status, 406) << target;
  }
}

TEST_F(ListsTest, SortAndDirection) {
  json staff = json::array();
  for (const char* last_name : {"Miller", "adams", "Zane"}) {
    json payload = staff_payload(std::string{last_name} + "@example.org");
    payload["last_name"] = last_name;
    staff.push_back(payload);
  }
  const json ids = control().seed({{"staff", staff}})["staff"];

  const json ascending = api("GET", "/v1/staff?sort=last_name").json()["data"];
  const json descending = api("GET", "/v1/staff?sort=last_name&direction=DESC").json()["data"];
  const json by_id_desc = api("GET", "/v1/staff?direction=desc").json()["data"];

  EXPECT_EQ(ids_of(ascending), (std::vector<std::int64_t>{ids[1], ids[0], ids[2]}));
  EXPECT_EQ(ids_of(descending), (std::vector<std::int64_t>{ids[2], ids[0], ids[1]}));
  EXPECT_EQ(ids_of(by_id_desc), (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));
}

TEST_F(ListsTest, NullSortsFirstAscending) {
  json discharged = student_payload("A", "Lee");
  discharged["discharged"] = 1;
  json active = student_payload("B", "Lee");
  active["discharged"] = 0;
  const json ids =
      control().seed({{"students", {discharged, active, student_payload("C", "Lee")}}})["students"];

  const json data = api("GET", "/v1/students?sort=discharged").json()["data"];

  EXPECT_EQ(ids_of(data), (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));
}

TEST_F(ListsTest, StaffObjects) {
  const json seeded = control().seed(
      {{"students", {student_payload("Ann", "Lee")}},
       {"staff", {[] {
          json staff = staff_payload("s@x.org");
          staff["linked_student_indexes"] = {0};
          staff["Record-Sessions"] = 1;
          return staff;
        }()}},
       {"student_logins", {[] {
          json login = login_payload("l@x.org", "");
          login["linked_student_indexes"] = {0};
          return login;
        }()}}});

  const json plain = api("GET", "/v1/staff").json()["data"][0];
  const json full =
      api("GET", "/v1/staff?objects=students,studentsWithLinkedStudentLogins,permissions,invoices")
          .json()["data"][0];

  EXPECT_FALSE(plain.contains("students"));
  EXPECT_FALSE(plain.contains("permissions"));
  EXPECT_EQ(full["students"][0]["id"], seeded["students"][0]);
  EXPECT_EQ(full["permissions"][0]["name"], "Record-Sessions");
  const json& nested = full["studentsWithLinkedStudentLogins"][0];
  EXPECT_EQ(nested["pivot"]["user_id"], seeded["staff"][0]);
  EXPECT_EQ(nested["linked_student_logins"][0]["id"], seeded["student_logins"][0]);
  EXPECT_EQ(nested["linked_student_logins"][0]["pivot"]["student_id"], seeded["students"][0]);
  EXPECT_TRUE(nested["linked_student_logins"][0]["created_at"].is_string());
  EXPECT_FALSE(full.contains("invoices"));
}

TEST_F(ListsTest, StudentAndLoginObjects) {
  const json seeded = control().seed(
      {{"students", {student_payload("Ann", "Lee")}},
       {"staff", {[] {
          json staff = staff_payload("s@x.org");
          staff["linked_student_indexes"] = {0};
          return staff;
        }()}},
       {"student_logins", {[] {
          json login = login_payload("l@x.org", "");
          login["linked_student_indexes"] = {0};
          login["msg_email"] = 1;
          return login;
        }()}}});

  const json student =
      api("GET", "/v1/students?objects=linkedStudentLogins,linkedStaff").json()["data"][0];
  const json login =
      api("GET", "/v1/student-logins?objects=students,notificationPrefs").json()["data"][0];

  EXPECT_EQ(student["linkedStudentLogins"][0]["id"], seeded["student_logins"][0]);
  EXPECT_EQ(student["linkedStaff"][0]["id"], seeded["staff"][0]);
  EXPECT_EQ(login["students"][0]["id"], seeded["students"][0]);
  EXPECT_EQ(login["students"][0]["student_location"], nullptr);
  EXPECT_EQ(login["notificationPrefs"]["msg_email"], 1);
  EXPECT_EQ(login["notificationPrefs"]["msg_sms"], 0);
}

TEST_F(ListsTest, SingleGetTakesObjects) {
  const json seeded = control().seed({{"students", {student_payload("Ann", "Lee")}}});
  const std::int64_t staff = create("staff", [&] {
    json payload = staff_payload("s@x.org");
    payload["linked_student_ids"] = std::to_string(seeded["students"][0].get<std::int64_t>());
    return payload;
  }());

  const json record = api("GET", "/v1/staff/" + std::to_string(staff) + "?objects=students").json();

  EXPECT_EQ(record["data"]["students"].size(), 1U);
}

TEST_F(ListsTest, TopLevelTimestampsAreObjectsNestedArePlain) {
  json old_student = student_payload("Ann", "Lee");
  old_student["created_at"] = "2017-12-13 08:48:27";
  const json ids = control().seed({{"students", {old_student}}})["students"];
  create("student-logins", login_payload("l@x.org", std::to_string(ids[0].get<std::int64_t>())));

  const json student = api("GET", "/v1/students").json()["data"][0];
  const json login = api("GET", "/v1/student-logins?objects=students").json()["data"][0];

  EXPECT_EQ(student["created_at"]["date"], "2017-12-13 08:48:27.000000");
  EXPECT_EQ(login["students"][0]["created_at"], "2017-12-13 08:48:27");
}

}  // namespace
}  // namespace fake_blink::testing
