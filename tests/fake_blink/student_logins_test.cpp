// Student-login endpoints.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

class StudentLoginsTest : public FakeBlinkTest {
 protected:
  void SetUp() override {
    FakeBlinkTest::SetUp();
    first_student_ = create("students", student_payload("Jack", "Daniels"));
    second_student_ = create("students", student_payload("Jill", "Daniels"));
  }

  static json state_of_login(std::int64_t id) {
    const json state = control().state();
    for (const json& login : state["student_logins"]) {
      if (login["id"] == id) {
        return login;
      }
    }
    return nullptr;
  }

  std::string first() const { return std::to_string(first_student_); }
  std::string second() const { return std::to_string(second_student_); }

  std::int64_t first_student_ = 0;
  std::int64_t second_student_ = 0;
};

TEST_F(StudentLoginsTest, PostRequiresExistingLinkedStudent) {
  json without = login_payload("l@x.org", "");
  without.erase("linked_student_ids");

  EXPECT_EQ(api("POST", "/v1/student-logins", without).status, 406);
  EXPECT_EQ(api("POST", "/v1/student-logins", login_payload("l@x.org", "")).status, 406);
  EXPECT_EQ(api("POST", "/v1/student-logins", login_payload("l@x.org", "9")).status, 406);
  EXPECT_TRUE(control().state()["student_logins"].empty());
}

TEST_F(StudentLoginsTest, PostStoresPrefsWithAbsentAsZero) {
  json payload = login_payload("jack@tennessee.com", first() + "," + second());
  payload["events_email"] = 1;
  payload["msg_sms"] = "1";

  const HttpResponse response = api("POST", "/v1/student-logins", payload);

  ASSERT_EQ(response.status, 200) << response.body;
  const json data = response.json()["data"];
  EXPECT_EQ(data["notificationPrefs"]["events_email"], 1);
  EXPECT_EQ(data["notificationPrefs"]["msg_sms"], 1);
  EXPECT_EQ(data["notificationPrefs"]["homework_email"], 0);
  ASSERT_EQ(data["students"].size(), 2U);
  EXPECT_EQ(data["students"][0]["pivot"]["user_id"], data["id"]);
}

TEST_F(StudentLoginsTest, PutWithAnyPrefReplacesAllEight) {
  json payload = login_payload("l@x.org", first());
  payload["events_email"] = 1;
  payload["events_sms"] = 1;
  const std::int64_t id = create("student-logins", payload);

  api("PUT", "/v1/student-logins/" + std::to_string(id), {{"homework_email", 1}});

  const json prefs = state_of_login(id)["notification_prefs"];
  EXPECT_EQ(prefs["homework_email"], 1);
  EXPECT_EQ(prefs["events_email"], 0);
  EXPECT_EQ(prefs["events_sms"], 0);
}

TEST_F(StudentLoginsTest, PutWithoutPrefsKeepsThem) {
  json payload = login_payload("l@x.org", first());
  payload["invoices_sms"] = 1;
  const std::int64_t id = create("student-logins", payload);

  api("PUT", "/v1/student-logins/" + std::to_string(id), {{"phone", "555-555-1234"}});

  EXPECT_EQ(state_of_login(id)["notification_prefs"]["invoices_sms"], 1);
  EXPECT_EQ(state_of_login(id)["phone"], "555-555-1234");
}

TEST_F(StudentLoginsTest, PutReplacesLinksAndEmptyUnlinks) {
  const std::int64_t id = create("student-logins", login_payload("l@x.org", first()));
  const std::string target = "/v1/student-logins/" + std::to_string(id);

  api("PUT", target, {{"linked_student_ids", second()}});
  EXPECT_EQ(state_of_login(id)["linked_student_ids"], json({second_student_}));

  api("PUT", target, {{"linked_student_ids", json::array()}});
  EXPECT_TRUE(state_of_login(id)["linked_student_ids"].empty());
}

TEST_F(StudentLoginsTest, RecordHasLoginShape) {
  const std::int64_t id = create("student-logins", login_payload("l@x.org", first()));

  const json data = api("GET", "/v1/student-logins/" + std::to_string(id)).json()["data"];

  EXPECT_EQ(data["display_name"], "");
  EXPECT_TRUE(data["user_timezone"].is_null());
  EXPECT_EQ(data["activated"], "No");
  EXPECT_EQ(data["created_at"]["timezone"], "America/Denver");
  EXPECT_FALSE(data.contains("join_by_link"));
}

TEST_F(StudentLoginsTest, DeleteUnderStudentLoginsIs405) {
  const std::int64_t id = create("student-logins", login_payload("l@x.org", first()));

  const HttpResponse response = api("DELETE", "/v1/student-logins/" + std::to_string(id));

  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "GET, PUT");
  EXPECT_EQ(control().state()["student_logins"].size(), 1U);
}

TEST_F(StudentLoginsTest, LinkChangeBumpsUpdatedAt) {
  json login = login_payload("l@x.org", first());
  login["updated_at"] = "2019-04-25 10:39:49";
  const std::int64_t id = control().seed({{"student_logins", {login}}})["student_logins"][0];

  api("PUT", "/v1/student-logins/" + std::to_string(id), {{"linked_student_ids", second()}});

  EXPECT_NE(state_of_login(id)["updated_at"], "2019-04-25 10:39:49");
}

}  // namespace
}  // namespace fake_blink::testing
