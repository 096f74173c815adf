// Event endpoints: validation, series rules and time zones.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;

class EventsTest : public FakeBlinkTest {
 protected:
  void SetUp() override {
    FakeBlinkTest::SetUp();
    staff_ = create("staff", staff_payload("events.staff@example.com"));
    student_ = create("students", student_payload("Eve", "Ent"));
  }

  json event_payload() const {
    return {{"linked_staff_ids", std::to_string(staff_)},
            {"timezone", "America/Denver"},
            {"start", "2030-02-25 09:00"},
            {"minutes", 45},
            {"linked_student_ids", std::to_string(student_)}};
  }

  static json series_payload(json payload) {
    payload["recurring"] = 1;
    payload["frequency"] = 1;
    payload["frequency_ending_after"] = 4;
    return payload;
  }

  static json state_events() { return control().state()["events"]; }

  std::int64_t staff_ = 0;
  std::int64_t student_ = 0;
};

TEST_F(EventsTest, PostRequiresDocumentedKeys) {
  for (const char* key : {"linked_staff_ids", "timezone", "start", "minutes"}) {
    auto payload = event_payload();
    payload.erase(key);
    const auto response = api("POST", "/v1/events", payload);
    EXPECT_EQ(response.status, 406) << key;
    EXPECT_NE(response.body.find(key), std::string::npos) << response.body;
  }
  auto payload = event_payload();
  payload.erase("linked_student_ids");
  EXPECT_EQ(api("POST", "/v1/events", payload).status, 406) << "neither students nor title";
  payload["title"] = "Meeting";
  EXPECT_EQ(api("POST", "/v1/events", payload).status, 200);
}

TEST_F(EventsTest, PostRejectsBadSeries) {
  auto payload = series_payload(event_payload());
  payload["frequency_ending_after"] = 1;
  EXPECT_EQ(api("POST", "/v1/events", payload).status, 406);
  payload["frequency_ending_after"] = 105;
  EXPECT_EQ(api("POST", "/v1/events", payload).status, 406);
  payload["frequency_ending_after"] = 4;
  payload["frequency"] = 3;
  EXPECT_EQ(api("POST", "/v1/events", payload).status, 406);
  EXPECT_TRUE(state_events().empty());
}

TEST_F(EventsTest, SeriesKeepsWallTimeAcrossDaylightChange) {
  const auto response = api("POST", "/v1/events", series_payload(event_payload()));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto data = response.json()["data"];
  EXPECT_EQ(data["start"], "2030-02-25 09:00:00");
  EXPECT_EQ(data["recurring_of_event_id"], data["id"]);
  EXPECT_EQ(data["recurring_visits"], 4);

  const auto events = state_events();
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[0]["start_utc"], "2030-02-25 16:00:00");
  EXPECT_EQ(events[1]["start_utc"], "2030-03-04 16:00:00");
  EXPECT_EQ(events[2]["start_utc"], "2030-03-11 15:00:00");
  EXPECT_EQ(events[3]["start_utc"], "2030-03-18 15:00:00");
}

TEST_F(EventsTest, ListConvertsToRequestedZone) {
  const auto id = create("events", event_payload());
  const auto target = "/v1/events/staff/" + std::to_string(staff_);

  EXPECT_EQ(api("GET", target).status, 406) << "timezone is required";
  const auto response = api("GET", target + "?timezone=Asia/Kolkata&rangeStart=2030-02-25&rangeEnd=2030-02-25");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto data = response.json()["data"];
  ASSERT_EQ(data.size(), 1U);
  EXPECT_EQ(data[0]["id"], id);
  EXPECT_EQ(data[0]["start"], "2030-02-25 21:30:00");
  EXPECT_EQ(data[0]["staff"][0]["user_id"], staff_);
  EXPECT_EQ(data[0]["students"][0]["student_id"], student_);

  const auto outside = api("GET", target + "?timezone=UTC&rangeStart=2030-02-26&rangeEnd=2030-03-01");
  EXPECT_TRUE(outside.json()["data"].empty());
  const auto by_student = api("GET", "/v1/events/student/" + std::to_string(student_) + "?timezone=UTC");
  EXPECT_EQ(by_student.json()["data"].size(), 1U);
}

TEST_F(EventsTest, PutOnSeriesRequiresEditRecurringFuture) {
  const auto first = create("events", series_payload(event_payload()));
  const auto second = first + 1;
  const auto target = "/v1/events/" + std::to_string(second);

  EXPECT_EQ(api("PUT", target, {{"details", "x"}}).status, 406);
  EXPECT_EQ(api("PUT", target, {{"frequency", 2}, {"edit_recurring_future", 1}}).status, 406);

  // 1: this and the later events form a new series starting here.
  const auto moved = api("PUT", target,
                         {{"start", "2030-03-04 10:00"}, {"timezone", "America/Denver"}, {"edit_recurring_future", 1}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  const auto events = state_events();
  EXPECT_EQ(events[0]["recurring_of_event_id"], first);
  EXPECT_EQ(events[0]["start_utc"], "2030-02-25 16:00:00");
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(events[i]["recurring_of_event_id"], second) << i;
  }
  EXPECT_EQ(events[2]["start_utc"], "2030-03-11 16:00:00");

  // 0: only this event changes, and it leaves the series.
  const auto third = "/v1/events/" + std::to_string(first + 2);
  ASSERT_EQ(api("PUT", third, {{"status", "Completed"}, {"edit_recurring_future", 0}}).status, 200);
  const auto after = state_events();
  EXPECT_TRUE(after[2]["recurring_of_event_id"].is_null());
  EXPECT_EQ(after[2]["status"], "Completed");
  EXPECT_EQ(after[3]["status"], "Scheduled");
}

TEST_F(EventsTest, PutRules) {
  const auto id = create("events", event_payload());
  const auto target = "/v1/events/" + std::to_string(id);

  EXPECT_EQ(api("PUT", target, {{"recurring", 1}, {"frequency", 1}, {"frequency_ending_after", 3}}).status, 406)
      << "a single event cannot become a series";
  EXPECT_EQ(api("PUT", target, {{"start", "2030-02-26 09:00"}}).status, 406) << "start needs timezone";
  EXPECT_EQ(api("PUT", target, {{"status", "Finished"}}).status, 406);
  EXPECT_EQ(api("PUT", "/v1/events/999999", {{"status", "Completed"}}).status, 404);

  ASSERT_EQ(api("PUT", target, {{"title", "Now a meeting"}}).status, 200);
  const auto event = state_events()[0];
  EXPECT_TRUE(event["student_ids"].empty()) << "a title unlinks the students";
  EXPECT_EQ(event["title"], "Now a meeting");
}

TEST_F(EventsTest, DeleteSeriesFromAnEvent) {
  const auto first = create("events", series_payload(event_payload()));
  const auto target = "/v1/events/" + std::to_string(first + 1);

  EXPECT_EQ(api("DELETE", target).status, 406) << "delete_recurring_future is required";
  ASSERT_EQ(api("DELETE", target, {{"delete_recurring_future", 1}}).status, 200);
  const auto events = state_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["id"], first);
  EXPECT_EQ(api("DELETE", target, {{"delete_recurring_future", 1}}).status, 404);
}

}  // namespace
}  // namespace fake_blink::testing
