// The /_control/ API: statistics, state, reset, seed and account edits.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

class ControlApiTest : public FakeBlinkTest {};

TEST_F(ControlApiTest, StatsCountByMethodAndEndpoint) {
  create("students", student_payload("Ann", "Lee"));
  api("POST", "/v1/students", student_payload("Ann", "Lee"));
  api("GET", "/v1/staff");
  api("GET", "/v1/staff/1001");

  const json stats = control().stats();

  EXPECT_EQ(stats["requests_total"], 4);
  EXPECT_EQ(stats["by_method"]["POST"], 2);
  EXPECT_EQ(stats["by_method"]["GET"], 2);
  EXPECT_EQ(stats["by_endpoint"]["POST students"], 2);
  EXPECT_EQ(stats["by_endpoint"]["GET staff"], 2);
  EXPECT_EQ(stats["validation_failed"], 1);
  EXPECT_EQ(stats["by_status"]["404"], 1);
  EXPECT_EQ(stats["max_in_window"], 4);
}

TEST_F(ControlApiTest, ControlCallsAreNotCounted) {
  control().state();
  control().stats();
  control().seed({{"students", {student_payload("Ann", "Lee")}}});

  EXPECT_EQ(control().stats()["requests_total"], 0);
}

TEST_F(ControlApiTest, ResetEmptiesStoreAndRestartsIds) {
  create("students", student_payload("Ann", "Lee"));
  create("staff", staff_payload("a@b.org"));
  control().set_rate_limit(100);

  control().reset();

  const json state = control().state();
  EXPECT_TRUE(state["students"].empty());
  EXPECT_TRUE(state["staff"].empty());
  EXPECT_EQ(state["rate_limit"], 100);
  EXPECT_EQ(control().stats()["requests_total"], 0);
  EXPECT_EQ(create("students", student_payload("Ann", "Lee")), 5001);
  EXPECT_EQ(create("staff", staff_payload("a@b.org")), 1001);
  control().set_rate_limit(0);
}

TEST_F(ControlApiTest, SeedReturnsIdsAndLinksByIndex) {
  json staff = staff_payload("s@x.org");
  staff["linked_student_indexes"] = {1};
  staff["activated"] = "Yes";
  json login = login_payload("l@x.org", "");
  login["linked_student_indexes"] = {0, 1};

  const json ids = control().seed({{"students", {student_payload("A", "Lee"), student_payload("B", "Lee")}},
                                   {"staff", {staff}},
                                   {"student_logins", {login}}});

  EXPECT_EQ(ids["students"], json({5001, 5002}));
  EXPECT_EQ(ids["staff"], json({1001}));
  EXPECT_EQ(ids["student_logins"], json({1002}));
  const json state = control().state();
  EXPECT_EQ(state["staff"][0]["linked_student_ids"], json({5002}));
  EXPECT_EQ(state["staff"][0]["activated"], "Yes");
  EXPECT_EQ(state["student_logins"][0]["linked_student_ids"], json({5001, 5002}));
  EXPECT_EQ(state["students"][1]["linked_staff_ids"], json({1001}));
}

TEST_F(ControlApiTest, InvalidSeedChangesNothing) {
  try {
    control().seed({{"students", {student_payload("A", "Lee")}},
                    {"staff", {staff_payload("s@x.org"), staff_payload("S@X.org")}}});
    FAIL() << "seed with a duplicate email succeeded";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string{error.what()}.find("staff[1]: email has already been taken"),
              std::string::npos)
        << error.what();
  }

  const json state = control().state();
  EXPECT_TRUE(state["students"].empty());
  EXPECT_TRUE(state["staff"].empty());
}

TEST_F(ControlApiTest, StateShowsPermissionsAndPrefs) {
  json staff = staff_payload("s@x.org");
  staff["Logins-Access"] = 1;
  const std::int64_t student = create("students", student_payload("A", "Lee"));
  create("staff", staff);
  json login = login_payload("l@x.org", std::to_string(student));
  login["homework_sms"] = 1;
  create("student-logins", login);

  const json state = control().state();

  EXPECT_EQ(state["staff"][0]["permissions"]["Logins-Access"], 1);
  EXPECT_EQ(state["staff"][0]["permissions"]["Staff-Access"], 0);
  EXPECT_EQ(state["student_logins"][0]["notification_prefs"]["homework_sms"], 1);
  EXPECT_EQ(state["links"].size(), 1U);
}

TEST_F(ControlApiTest, UnknownPathIs404AndWrongMethod405) {
  HttpClient client{server().host(), server().port()};

  EXPECT_EQ(client.request("GET", "/_control/nothing").status, 404);
  EXPECT_EQ(client.request("GET", "/_control/reset").status, 405);
  EXPECT_EQ(client.request("POST", "/_control/rate-limit", R"({"limit":-1})").status, 400);
  EXPECT_EQ(client.request("POST", "/_control/seed", "not json").status, 400);
}

TEST_F(ControlApiTest, AccountEditChangesActivationAndLink) {
  const auto id = create("staff", staff_payload("a@b.org"));
  const auto before = control().state()["staff"][0];

  const auto edited = control().send("POST", "/_control/account",
                                     {{"id", id}, {"activated", "Yes"}, {"join_by_link", "http://x/joinsession/new"}});

  EXPECT_EQ(edited["activated"], "Yes");
  const auto after = control().state()["staff"][0];
  EXPECT_EQ(after["activated"], "Yes");
  EXPECT_EQ(after["join_by_link"], "http://x/joinsession/new");
  EXPECT_EQ(control().stats()["requests_total"], 1);  // only the create
  EXPECT_NE(before["join_by_link"], after["join_by_link"]);
}

TEST_F(ControlApiTest, AccountEditRejectsUnknownId) {
  EXPECT_ANY_THROW(control().send("POST", "/_control/account", {{"id", 999}, {"activated", "Yes"}}));
}

}  // namespace
}  // namespace fake_blink::testing
