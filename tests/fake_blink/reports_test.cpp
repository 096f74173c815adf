// GET /v1/reports/events and /v1/reports/sessions, seeded through
// POST /_control/reports.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

json event_row(std::int64_t id, const std::string& start_utc, const std::string& status = "Completed") {
  return {{"id", id},           {"start", start_utc},       {"end", start_utc},
          {"allDay", 0},        {"status", status},         {"type_id", nullptr},
          {"staff_id", "16"},   {"title", "Student Name"},  {"created_at", start_utc},
          {"updated_at", start_utc}};
}

json session_row(std::int64_t id, const std::string& created_utc) {
  return {{"id", id},
          {"session_id", 500 + id},
          {"session_created_at", created_utc},
          {"staff_joined_session", created_utc},
          {"student_joined_session", nullptr},
          {"staff_id", 16},
          {"student_ids", "80,81"}};
}

class ReportsTest : public FakeBlinkTest {};

TEST_F(ReportsTest, EventsNeedTimezoneAndRange) {
  EXPECT_EQ(api("GET", "/v1/reports/events?rangeStart=2024-01-01&rangeEnd=2024-01-31").status, 406);
  EXPECT_EQ(api("GET", "/v1/reports/events?timezone=America/Denver&rangeEnd=2024-01-31").status, 406);
  EXPECT_EQ(api("GET", "/v1/reports/events?timezone=America/Denver&rangeStart=2024-01-01").status, 406);
  EXPECT_EQ(api("GET", "/v1/reports/events?timezone=Mars/Olympus&rangeStart=2024-01-01&rangeEnd=2024-01-31").status,
            406);
  EXPECT_EQ(api("GET", "/v1/reports/events?timezone=UTC&rangeStart=2024-13-01&rangeEnd=2024-01-31").status, 406);
  EXPECT_EQ(api("GET", "/v1/reports/events?timezone=UTC&rangeStart=2024-01-01&rangeEnd=2024-01-31").status, 200);
}

TEST_F(ReportsTest, SessionsNeedOnlyTimezone) {
  EXPECT_EQ(api("GET", "/v1/reports/sessions").status, 406);
  EXPECT_EQ(api("GET", "/v1/reports/sessions?timezone=UTC").status, 200);
}

TEST_F(ReportsTest, EventTimesInRequestedZone) {
  control().send("POST", "/_control/reports", {{"events", json::array({event_row(1, "2024-01-15 02:45:00")})}});

  const json body =
      api("GET", "/v1/reports/events?timezone=Asia%2FKolkata&rangeStart=2024-01-15&rangeEnd=2024-01-15").json();

  ASSERT_EQ(body["data"].size(), 1U);
  EXPECT_EQ(body["data"][0]["start"], "2024-01-15 08:15:00");
  EXPECT_EQ(body["data"][0]["created_at"], "Jan 15, 2024,  8:15 am");
  EXPECT_EQ(body["data"][0]["staff_id"], "16");
}

TEST_F(ReportsTest, RangeIsLocalDays) {
  // 20:00 UTC on the 15th is already the 16th in Kolkata (UTC+05:30).
  control().send("POST", "/_control/reports", {{"events", json::array({event_row(1, "2024-01-15 20:00:00")})}});

  const auto count = [](const std::string& zone, const std::string& day) {
    const std::string target =
        "/v1/reports/events?timezone=" + zone + "&rangeStart=" + day + "&rangeEnd=" + day;
    return api("GET", target).json()["data"].size();
  };
  EXPECT_EQ(count("UTC", "2024-01-15"), 1U);
  EXPECT_EQ(count("Asia%2FKolkata", "2024-01-15"), 0U);
  EXPECT_EQ(count("Asia%2FKolkata", "2024-01-16"), 1U);
}

TEST_F(ReportsTest, SessionsPagedWithClockShape) {
  json rows = json::array();
  for (int id = 1; id <= 5; ++id) {
    rows.push_back(session_row(id, "2024-01-31 15:07:59"));
  }
  control().send("POST", "/_control/reports", {{"sessions", rows}});

  const json second = api("GET", "/v1/reports/sessions?timezone=America%2FDenver&limit=2&page=2").json();

  EXPECT_EQ(second["meta"]["pagination"]["total_count"], 5);
  EXPECT_EQ(second["meta"]["pagination"]["total_pages"], 3);
  ASSERT_EQ(second["data"].size(), 2U);
  EXPECT_EQ(second["data"][0]["id"], 3);
  EXPECT_EQ(second["data"][0]["session_created_at"], "2024-01-31 08:07:59");
  EXPECT_EQ(second["data"][0]["staff_joined_session"], "2024-1-31, 8:07 am ");
  EXPECT_TRUE(second["data"][0]["student_joined_session"].is_null());
}

TEST_F(ReportsTest, SeedReplacesRowWithSameId) {
  control().send("POST", "/_control/reports", {{"events", json::array({event_row(7, "2024-01-15 12:00:00")})}});
  control().send("POST", "/_control/reports",
                 {{"events", json::array({event_row(7, "2024-01-15 12:00:00", "Student-No-Show")})}});

  const json body =
      api("GET", "/v1/reports/events?timezone=UTC&rangeStart=2024-01-01&rangeEnd=2024-01-31&status=Student-No-Show")
          .json();

  ASSERT_EQ(body["data"].size(), 1U);
  EXPECT_EQ(body["data"][0]["id"], 7);
}

TEST_F(ReportsTest, CountedInStats) {
  api("GET", "/v1/reports/sessions?timezone=UTC");

  const json stats = control().stats();

  EXPECT_EQ(stats["by_endpoint"]["GET reports"], 1);
}

TEST_F(ReportsTest, ResetEmptiesReports) {
  control().send("POST", "/_control/reports", {{"sessions", json::array({session_row(1, "2024-01-31 15:07:59")})}});
  control().reset();

  EXPECT_TRUE(control().get("/_control/reports")["sessions"].empty());
}

}  // namespace
}  // namespace fake_blink::testing
