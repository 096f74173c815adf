// Staff endpoints, DELETE of a student-login through /v1/staff, and routing errors.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

class StaffTest : public FakeBlinkTest {
 protected:
  void SetUp() override {
    FakeBlinkTest::SetUp();
    first_student_ = create("students", student_payload("Bill", "Bob"));
    second_student_ = create("students", student_payload("John", "Smith"));
    third_student_ = create("students", student_payload("Jane", "Smith"));
  }

  static json state_of_staff(std::int64_t id) {
    const json state = control().state();
    for (const json& staff : state["staff"]) {
      if (staff["id"] == id) {
        return staff;
      }
    }
    return nullptr;
  }

  std::string ids(std::initializer_list<std::int64_t> list) {
    std::string text;
    for (const std::int64_t id : list) {
      text += (text.empty() ? "" : ",") + std::to_string(id);
    }
    return text;
  }

  std::int64_t first_student_ = 0;
  std::int64_t second_student_ = 0;
  std::int64_t third_student_ = 0;
};

TEST_F(StaffTest, PostReturnsStudentsAndPermissions) {
  json payload = staff_payload("new@staff.com");
  payload["linked_student_ids"] = ids({first_student_, second_student_, first_student_});
  payload["Schedule-Admin"] = 1;
  payload["Record-Sessions"] = "1";
  payload["Staff-Access"] = 0;

  const HttpResponse response = api("POST", "/v1/staff", payload);

  ASSERT_EQ(response.status, 200) << response.body;
  const json data = response.json()["data"];
  EXPECT_GE(data["id"].get<std::int64_t>(), 1001);
  EXPECT_EQ(data["display_name"], "Mrs. Lovelace");
  ASSERT_EQ(data["students"].size(), 2U);
  EXPECT_EQ(data["students"][0]["id"], first_student_);
  EXPECT_EQ(data["students"][0]["pivot"]["user_id"], data["id"]);
  EXPECT_EQ(data["students"][0]["pivot"]["student_id"], first_student_);
  EXPECT_EQ(data["students"][0]["users_role_teacher_one_string"], "Mrs. Lovelace");
  ASSERT_EQ(data["permissions"].size(), 2U);
  EXPECT_EQ(data["permissions"][0]["name"], "Schedule-Admin");
  EXPECT_EQ(data["permissions"][1]["name"], "Record-Sessions");
  EXPECT_EQ(data["permissions"][1]["update"], 1);
}

TEST_F(StaffTest, PostSetsJoinLinkAndActivated) {
  const std::int64_t id = create("staff", staff_payload("a@b.org"));

  const json record = api("GET", "/v1/staff/" + std::to_string(id)).json()["data"];

  const std::string prefix = "http://127.0.0.1:" + std::to_string(server().port()) + "/joinsession/";
  EXPECT_TRUE(record["join_by_link"].get<std::string>().starts_with(prefix)) << record["join_by_link"];
  EXPECT_GT(record["join_by_link"].get<std::string>().size(), prefix.size());
  EXPECT_EQ(record["activated"], "No");
}

TEST_F(StaffTest, PostRequiresEachField) {
  for (const char* field :
       {"first_name", "last_name", "display_name", "email", "phone", "user_timezone"}) {
    json payload = staff_payload("a@b.org");
    payload.erase(field);

    const HttpResponse response = api("POST", "/v1/staff", payload);

    EXPECT_EQ(response.status, 406) << field;
    EXPECT_EQ(response.json()["status"]["message"], std::string{field} + " is required");
  }
  EXPECT_TRUE(control().state()["staff"].empty());
}

TEST_F(StaffTest, DuplicateEmailAcrossStaffAndLoginsIs406) {
  create("staff", staff_payload("Taken@Example.org"));
  create("student-logins", login_payload("login@example.org", ids({first_student_})));

  const HttpResponse same_staff = api("POST", "/v1/staff", staff_payload("taken@EXAMPLE.org"));
  const HttpResponse staff_as_login =
      api("POST", "/v1/student-logins", login_payload("TAKEN@example.org", ids({first_student_})));
  const HttpResponse login_as_staff = api("POST", "/v1/staff", staff_payload("Login@Example.org"));

  EXPECT_EQ(same_staff.status, 406);
  EXPECT_EQ(same_staff.json()["status"]["message"], "email has already been taken");
  EXPECT_EQ(staff_as_login.status, 406);
  EXPECT_EQ(login_as_staff.status, 406);
}

TEST_F(StaffTest, PutEmailUniqueExceptOwn) {
  const std::int64_t first = create("staff", staff_payload("one@example.org"));
  create("staff", staff_payload("two@example.org"));
  const std::string target = "/v1/staff/" + std::to_string(first);

  EXPECT_EQ(api("PUT", target, {{"email", "ONE@example.org"}}).status, 200);
  EXPECT_EQ(api("PUT", target, {{"email", "two@example.org"}}).status, 406);
}

TEST_F(StaffTest, InvalidTimezoneIs406) {
  json payload = staff_payload("a@b.org");
  payload["user_timezone"] = "Mars/Olympus_Mons";

  const HttpResponse response = api("POST", "/v1/staff", payload);

  EXPECT_EQ(response.status, 406);
  EXPECT_TRUE(response.json()["status"]["message"].get<std::string>().starts_with(
      "user_timezone must be a valid timezone"));
}

TEST_F(StaffTest, InvalidEmailIs406) {
  const HttpResponse response = api("POST", "/v1/staff", staff_payload("not-an-email"));

  EXPECT_EQ(response.status, 406);
}

TEST_F(StaffTest, UnknownLinkedStudentIs406) {
  json payload = staff_payload("a@b.org");
  payload["linked_student_ids"] = ids({first_student_, 999});

  const HttpResponse response = api("POST", "/v1/staff", payload);

  EXPECT_EQ(response.status, 406);
  EXPECT_EQ(response.json()["status"]["message"],
            "linked_student_ids contains 999, which is not an existing student id");
  EXPECT_TRUE(control().state()["staff"].empty());
}

TEST_F(StaffTest, LinkedStudentIdsAcceptsArrayAndRejectsText) {
  json as_array = staff_payload("a@b.org");
  as_array["linked_student_ids"] = {first_student_, second_student_};
  json as_words = staff_payload("c@d.org");
  as_words["linked_student_ids"] = "first,second";

  EXPECT_EQ(api("POST", "/v1/staff", as_array).json()["data"]["students"].size(), 2U);
  EXPECT_EQ(api("POST", "/v1/staff", as_words).status, 406);
}

TEST_F(StaffTest, GetSingleReturnsObject) {
  const std::int64_t id = create("staff", staff_payload("a@b.org"));

  const HttpResponse response = api("GET", "/v1/staff/" + std::to_string(id));

  ASSERT_EQ(response.status, 200);
  const json data = response.json()["data"];
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["id"], id);
  EXPECT_EQ(data["email"], "a@b.org");
  EXPECT_EQ(data["created_at"]["timezone"], "America/Denver");
  EXPECT_EQ(data["created_at"]["timezone_type"], 3);
  EXPECT_TRUE(data["deleted_at"].is_null());
  EXPECT_FALSE(data.contains("students"));
}

TEST_F(StaffTest, IdsOfOtherEntitiesAre404) {
  const std::int64_t login = create("student-logins", login_payload("l@x.org", ids({first_student_})));
  const std::int64_t staff = create("staff", staff_payload("s@x.org"));

  EXPECT_EQ(api("GET", "/v1/staff/" + std::to_string(login)).status, 404);
  EXPECT_EQ(api("GET", "/v1/student-logins/" + std::to_string(staff)).status, 404);
  EXPECT_EQ(api("GET", "/v1/staff/" + std::to_string(first_student_)).status, 404);
  EXPECT_EQ(api("PUT", "/v1/staff/" + std::to_string(login), {{"phone", "1"}}).status, 404);
}

TEST_F(StaffTest, PutReplacesWholeLinkSet) {
  json payload = staff_payload("a@b.org");
  payload["linked_student_ids"] = ids({first_student_, second_student_});
  const std::int64_t id = create("staff", payload);
  const std::string target = "/v1/staff/" + std::to_string(id);

  api("PUT", target, {{"linked_student_ids", ids({second_student_, third_student_})}});
  EXPECT_EQ(state_of_staff(id)["linked_student_ids"], json({second_student_, third_student_}));

  api("PUT", target, {{"phone", "555-000-1111"}});
  EXPECT_EQ(state_of_staff(id)["linked_student_ids"], json({second_student_, third_student_}));

  const HttpResponse emptied = api("PUT", target, {{"linked_student_ids", ""}});
  EXPECT_EQ(emptied.status, 200);
  EXPECT_TRUE(emptied.json()["data"]["students"].empty());
  EXPECT_TRUE(state_of_staff(id)["linked_student_ids"].empty());
}

TEST_F(StaffTest, PutChangesOnlyGivenFields) {
  json payload = staff_payload("a@b.org");
  payload["Schedule-Admin"] = 1;
  payload["Join-by-Link"] = 1;
  const std::int64_t id = create("staff", payload);

  const HttpResponse response = api("PUT", "/v1/staff/" + std::to_string(id),
                                    {{"last_name", "Byron"}, {"Schedule-Admin", "0"}});

  ASSERT_EQ(response.status, 200) << response.body;
  const json staff = state_of_staff(id);
  EXPECT_EQ(staff["last_name"], "Byron");
  EXPECT_EQ(staff["first_name"], "Ada");
  EXPECT_EQ(staff["permissions"]["Schedule-Admin"], 0);
  EXPECT_EQ(staff["permissions"]["Join-by-Link"], 1);
}

TEST_F(StaffTest, PutRejectsBlankRequiredField) {
  const std::int64_t id = create("staff", staff_payload("a@b.org"));

  const HttpResponse response = api("PUT", "/v1/staff/" + std::to_string(id), {{"first_name", ""}});

  EXPECT_EQ(response.status, 406);
  EXPECT_EQ(state_of_staff(id)["first_name"], "Ada");
}

TEST_F(StaffTest, BadFlagIs406) {
  json payload = staff_payload("a@b.org");
  payload["Schedule-Admin"] = "yes";

  const HttpResponse response = api("POST", "/v1/staff", payload);

  EXPECT_EQ(response.status, 406);
  EXPECT_EQ(response.json()["status"]["message"], "Schedule-Admin must be 1 or 0");
}

TEST_F(StaffTest, LinkChangeBumpsUpdatedAt) {
  json staff = staff_payload("a@b.org");
  staff["created_at"] = "2020-01-01 00:00:00";
  staff["updated_at"] = "2020-01-01 00:00:00";
  const std::int64_t id = control().seed({{"staff", {staff}}})["staff"][0];
  const std::string target = "/v1/staff/" + std::to_string(id);

  api("PUT", target, {{"linked_student_ids", ""}});
  EXPECT_EQ(state_of_staff(id)["updated_at"], "2020-01-01 00:00:00");

  api("PUT", target, {{"linked_student_ids", ids({first_student_})}});
  const json record = api("GET", target).json()["data"];
  EXPECT_NE(record["updated_at"]["date"], "2020-01-01 00:00:00.000000");
  EXPECT_EQ(record["created_at"]["date"], "2020-01-01 00:00:00.000000");
}

TEST_F(StaffTest, DeleteRemovesStaffAndLinks) {
  json payload = staff_payload("a@b.org");
  payload["linked_student_ids"] = ids({first_student_});
  const std::int64_t id = create("staff", payload);
  const std::string target = "/v1/staff/" + std::to_string(id);

  const HttpResponse deleted = api("DELETE", target);

  EXPECT_EQ(deleted.status, 200);
  EXPECT_TRUE(deleted.json()["status"]["message"].get<std::string>().starts_with(
      "Success, staff deleted."));
  EXPECT_EQ(api("GET", target).status, 404);
  EXPECT_EQ(api("DELETE", target).status, 404);
  EXPECT_TRUE(control().state()["links"].empty());
}

TEST_F(StaffTest, DeleteOfStudentLoginUnderStaffPath) {
  const std::int64_t login = create("student-logins", login_payload("l@x.org", ids({first_student_})));

  const HttpResponse deleted = api("DELETE", "/v1/staff/" + std::to_string(login));

  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.json()["status"]["message"], "Success, student-login deleted.");
  EXPECT_EQ(api("GET", "/v1/student-logins/" + std::to_string(login)).status, 404);
  EXPECT_TRUE(control().state()["links"].empty());
}

TEST_F(StaffTest, UnknownPathIs404WithStatusBody) {
  for (const char* target : {"/v1/nothing", "/v1/staff/abc", "/v1/staff/1001/extra", "/v1", "/other"}) {
    const HttpResponse response = api("GET", target);

    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.json()["status"]["status_code"], 404) << target;
  }
}

TEST_F(StaffTest, WrongMethodIs405) {
  const std::int64_t id = create("staff", staff_payload("a@b.org"));
  const std::string target = "/v1/staff/" + std::to_string(id);

  EXPECT_EQ(api("PATCH", target, {{"phone", "1"}}).status, 405);
  EXPECT_EQ(api("POST", target, staff_payload("x@y.org")).status, 405);
  EXPECT_EQ(api("DELETE", "/v1/staff").status, 405);
  EXPECT_EQ(api("PUT", "/v1/students", {{"notes", ""}}).status, 405);
  EXPECT_EQ(api("DELETE", target).status, 200);
}

TEST_F(StaffTest, BodyThatIsNotAJsonObjectIs406) {
  HttpClient client{server().host(), server().port()};
  const HttpHeaders auth = {{"Authorization", "Bearer " + std::string{kToken}}};

  const HttpResponse not_json = client.request("POST", "/v1/staff", "first_name=Ada", auth);
  const HttpResponse array = client.request("POST", "/v1/staff", "[1,2]", auth);

  EXPECT_EQ(not_json.status, 406);
  EXPECT_EQ(not_json.json()["status"]["message"], "request body is not valid JSON");
  EXPECT_EQ(array.status, 406);
}

TEST_F(StaffTest, UnknownBodyKeysAreIgnored) {
  json payload = staff_payload("a@b.org");
  payload["favourite_colour"] = "green";

  EXPECT_EQ(api("POST", "/v1/staff", payload).status, 200);
}

}  // namespace
}  // namespace fake_blink::testing
