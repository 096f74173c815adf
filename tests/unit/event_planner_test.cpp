#include "mapping/event_planner.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

UtcTime utc(const char* text) { return UtcTime{parse_wall_time(text)->time_since_epoch()}; }
LocalTime wall(const char* text) { return *parse_wall_time(text); }

class EventPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    identities.upsert(MappedRecord{Entity::staff, "S1", 1001, {}, std::nullopt});
    identities.upsert(MappedRecord{Entity::staff, "S2", 1002, {}, std::nullopt});
    identities.upsert(MappedRecord{Entity::student, "P1", 5001, {}, std::nullopt});
    identities.upsert(MappedRecord{Entity::student, "P2", 5002, {}, std::nullopt});
  }

  EventPlan plan() {
    EventPlanInput input{desired, invalid, remote, synced, identities, window, previous_status, previous_owners, in_doubt};
    return plan_events(input);
  }

  static DesiredEvent single(const char* local_id, const char* start = "2030-02-25 09:00") {
    DesiredEvent event;
    event.local_id = local_id;
    event.staff_local_ids = {"S1"};
    event.student_local_ids = {"P1"};
    event.start = wall(start);
    event.timezone = "America/Denver";
    event.minutes = 45;
    return event;
  }

  static DesiredEvent series(const char* local_id) {
    auto event = single(local_id);
    event.recurrence = Recurrence{1, 4};
    return event;
  }

  // The mapping and Blink copy of `event` as the daemon would have left them.
  void synced_as_created(const DesiredEvent& event, std::int64_t blink_id) {
    SyncedEvent copy;
    copy.local_id = event.local_id;
    copy.blink_event_id = blink_id;
    copy.recurrence = event.recurrence;
    copy.staff_ids = {1001};
    copy.student_ids = {5001};
    copy.details = event.details;
    copy.minutes = event.minutes;
    copy.start = event.start;
    copy.timezone = event.timezone;
    copy.roster_status = event.status.value_or("");
    synced.push_back(copy);

    const int count = event.recurrence ? event.recurrence->occurrences : 1;
    for (int index = 0; index < count; ++index) {
      RemoteEvent blink;
      blink.id = blink_id + index;
      if (event.recurrence) {
        blink.series_id = blink_id;
      }
      blink.staff_ids = {1001};
      blink.student_ids = {5001};
      blink.title = "Student name";
      blink.details = event.details;
      blink.start = std::get<UtcTime>(to_utc(occurrence_start(event.start, 1, index), event.timezone));
      blink.end = blink.start + std::chrono::minutes(*event.minutes);
      remote.push_back(blink);
    }
  }

  IdentityMap identities;
  std::vector<DesiredEvent> desired;
  std::set<std::string> invalid;
  std::vector<RemoteEvent> remote;
  std::vector<SyncedEvent> synced;
  EventWindow window{utc("2030-01-01 00:00"), utc("2031-01-01 00:00")};
  std::map<std::int64_t, std::string> previous_status;
  std::map<std::int64_t, std::string> previous_owners;
  std::set<std::string> in_doubt;
};

TEST_F(EventPlannerTest, CreateSendsFullSetsAndTimezone) {
  desired.push_back(single("A1"));
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  const auto& operation = result.operations[0];
  EXPECT_EQ(operation.action, EventAction::create);
  EXPECT_EQ(operation.payload["linked_staff_ids"], "1001");
  EXPECT_EQ(operation.payload["linked_student_ids"], "5001");
  EXPECT_EQ(operation.payload["timezone"], "America/Denver");
  EXPECT_EQ(operation.payload["start"], "2030-02-25 09:00");
  EXPECT_EQ(operation.payload["minutes"], 45);
  EXPECT_FALSE(operation.payload.contains("recurring"));
  EXPECT_EQ(operation.natural_key, "staff=1001 start=2030-02-25 16:00:00");
}

TEST_F(EventPlannerTest, CreateSeriesOnceWithRecurring) {
  desired.push_back(series("A1"));
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].payload["recurring"], 1);
  EXPECT_EQ(result.operations[0].payload["frequency"], 1);
  EXPECT_EQ(result.operations[0].payload["frequency_ending_after"], 4);
}

TEST_F(EventPlannerTest, TitleWhenNoStudents) {
  auto event = single("A1");
  event.student_local_ids.clear();
  event.title = "Team meeting";
  event.minutes.reset();
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].payload["title"], "Team meeting");
  EXPECT_EQ(result.operations[0].payload["minutes"], "allday");
  EXPECT_FALSE(result.operations[0].payload.contains("linked_student_ids"));
}

TEST_F(EventPlannerTest, UnresolvedStudentIsErrorNotEmptySet) {
  auto event = single("A1");
  event.student_local_ids = {"P1", "P9"};
  desired.push_back(event);
  const auto result = plan();
  EXPECT_TRUE(result.operations.empty());
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_EQ(result.errors[0].local_id, "A1");
  EXPECT_NE(result.errors[0].message.find("P9"), std::string::npos);
}

TEST_F(EventPlannerTest, UnchangedSendsNothing) {
  desired.push_back(single("A1"));
  synced_as_created(desired[0], 200);
  const auto result = plan();
  EXPECT_TRUE(result.operations.empty());
  EXPECT_TRUE(result.errors.empty());
}

TEST_F(EventPlannerTest, MoveSendsStartWithTimezone) {
  synced_as_created(single("A1"), 200);
  desired.push_back(single("A1", "2030-02-26 10:30"));
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  const auto& operation = result.operations[0];
  EXPECT_EQ(operation.action, EventAction::update);
  EXPECT_EQ(operation.target_id, 200);
  EXPECT_EQ(operation.payload["start"], "2030-02-26 10:30");
  EXPECT_EQ(operation.payload["timezone"], "America/Denver");
  EXPECT_FALSE(operation.payload.contains("linked_staff_ids"));
  EXPECT_FALSE(operation.payload.contains("edit_recurring_future"));
}

TEST_F(EventPlannerTest, RelinkSendsFullSets) {
  synced_as_created(single("A1"), 200);
  auto event = single("A1");
  event.staff_local_ids = {"S1", "S2"};
  event.student_local_ids = {"P2"};
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].payload["linked_staff_ids"], "1001,1002");
  EXPECT_EQ(result.operations[0].payload["linked_student_ids"], "5002");
  EXPECT_EQ(result.operations[0].payload["timezone"], "America/Denver");
}

TEST_F(EventPlannerTest, RosterCancelSendsStatus) {
  auto event = single("A1");
  event.status = "Scheduled";
  synced_as_created(event, 200);
  event.status = "Canceled-by-Staff";
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].payload["status"], "Canceled-by-Staff");
  EXPECT_EQ(result.operations[0].synced.roster_status, "Canceled-by-Staff");
  EXPECT_TRUE(result.status_changes.empty());
}

TEST_F(EventPlannerTest, BlinkStatusIsKeptAndReported) {
  auto event = single("A1");
  event.status = "Scheduled";
  synced_as_created(event, 200);
  remote[0].status = "Student-No-Show";
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.status_changes.size(), 1U);
  EXPECT_EQ(result.status_changes[0].blink_event_id, 200);
  EXPECT_EQ(result.status_changes[0].status, "Student-No-Show");
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].action, EventAction::record);
  EXPECT_EQ(result.operations[0].synced.blink_status, "Student-No-Show");
}

TEST_F(EventPlannerTest, BlinkStatusReportedOnceOnly) {
  auto event = single("A1");
  synced_as_created(event, 200);
  remote[0].status = "Completed";
  previous_status[200] = "Completed";
  synced[0].blink_status = "Completed";
  desired.push_back(event);
  EXPECT_TRUE(plan().status_changes.empty());
}

TEST_F(EventPlannerTest, RosterStatusWinsWhenBothChanged) {
  auto event = single("A1");
  event.status = "Scheduled";
  synced_as_created(event, 200);
  remote[0].status = "Completed";
  event.status = "Canceled-by-Staff";
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].payload["status"], "Canceled-by-Staff");
  EXPECT_TRUE(result.status_changes.empty());
}

TEST_F(EventPlannerTest, SeriesMemberStatusReported) {
  synced_as_created(series("A1"), 300);
  remote[2].status = "Completed";
  desired.push_back(series("A1"));
  const auto result = plan();
  ASSERT_EQ(result.status_changes.size(), 1U);
  EXPECT_EQ(result.status_changes[0].blink_event_id, 302);
  EXPECT_EQ(result.owners.at(302), "A1");
}

TEST_F(EventPlannerTest, DetachedSeriesEventStatusReported) {
  synced_as_created(series("A1"), 300);
  remote[1].series_id.reset();  // a person edited it alone in Blink
  remote[1].status = "Completed";
  previous_status[301] = "Scheduled";
  previous_owners[301] = "A1";
  desired.push_back(series("A1"));
  const auto result = plan();
  ASSERT_EQ(result.status_changes.size(), 1U);
  EXPECT_EQ(result.status_changes[0].blink_event_id, 301);
  EXPECT_EQ(result.owners.at(301), "A1");
  EXPECT_TRUE(result.operations.empty());
}

TEST_F(EventPlannerTest, SeriesEditGoesToFirstRemainingEvent) {
  synced_as_created(series("A1"), 300);
  remote.erase(remote.begin());  // the first event was deleted in Blink
  auto event = series("A1");
  event.staff_local_ids = {"S2"};
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].target_id, 301);
  EXPECT_EQ(result.operations[0].payload["edit_recurring_future"], 1);
  EXPECT_EQ(result.operations[0].payload["linked_staff_ids"], "1002");
  EXPECT_FALSE(result.operations[0].payload.contains("start"));
}

TEST_F(EventPlannerTest, SeriesMoveAcrossDaylightChangeKeepsWallTime) {
  // The series' second event is the first left; DST begins on 2030-03-10.
  synced_as_created(series("A1"), 300);
  remote.erase(remote.begin());
  auto event = series("A1");
  event.start = wall("2030-02-25 10:00");
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].target_id, 301);
  EXPECT_EQ(result.operations[0].payload["start"], "2030-03-04 10:00");
  EXPECT_EQ(result.operations[0].payload["timezone"], "America/Denver");
}

TEST_F(EventPlannerTest, SingleToSeriesIsError) {
  synced_as_created(single("A1"), 200);
  desired.push_back(series("A1"));
  const auto result = plan();
  EXPECT_TRUE(result.operations.empty());
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_NE(result.errors[0].message.find("cannot turn a single event into a series"), std::string::npos);
}

TEST_F(EventPlannerTest, SeriesLengthChangeIsError) {
  synced_as_created(series("A1"), 300);
  auto event = series("A1");
  event.recurrence->occurrences = 6;
  desired.push_back(event);
  const auto result = plan();
  EXPECT_TRUE(result.operations.empty());
  ASSERT_EQ(result.errors.size(), 1U);
}

TEST_F(EventPlannerTest, DeleteSingleAndSeries) {
  synced_as_created(single("A1"), 200);
  synced_as_created(series("A2"), 300);
  desired.push_back(single("A3"));
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 3U);
  EXPECT_EQ(result.operations[1].action, EventAction::remove);
  EXPECT_EQ(result.operations[1].target_id, 200);
  EXPECT_FALSE(result.operations[1].payload.contains("delete_recurring_future"));
  EXPECT_EQ(result.operations[2].target_id, 300);
  EXPECT_EQ(result.operations[2].payload["delete_recurring_future"], 1);
}

TEST_F(EventPlannerTest, InvalidRowIsNotDeleted) {
  synced_as_created(single("A1"), 200);
  desired.push_back(single("A2"));
  invalid.insert("A1");
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].action, EventAction::create);
}

TEST_F(EventPlannerTest, EmptyRosterHoldsDeletes) {
  synced_as_created(single("A1"), 200);
  const auto result = plan();
  EXPECT_TRUE(result.operations.empty());
  ASSERT_EQ(result.errors.size(), 1U);
}

TEST_F(EventPlannerTest, DeletedInBlinkIsCreatedAgain) {
  synced_as_created(single("A1"), 200);
  remote.clear();
  desired.push_back(single("A1"));
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].action, EventAction::create);
}

TEST_F(EventPlannerTest, OutsideWindowPlansAgainstSyncedCopy) {
  synced_as_created(single("A1"), 200);
  remote.clear();
  window = EventWindow{utc("2031-01-01 00:00"), utc("2031-06-01 00:00")};
  desired.push_back(single("A1", "2030-02-25 09:30"));
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].action, EventAction::update);
  EXPECT_EQ(result.operations[0].payload["start"], "2030-02-25 09:30");
}

TEST_F(EventPlannerTest, PastEventIsNotCreated) {
  window = EventWindow{utc("2031-01-01 00:00"), utc("2031-06-01 00:00")};
  desired.push_back(single("A1"));
  EXPECT_TRUE(plan().operations.empty());
}

TEST_F(EventPlannerTest, HeldCreateIsNotSent) {
  desired.push_back(single("A1"));
  in_doubt.insert("A1");
  EXPECT_TRUE(plan().operations.empty());
}

TEST_F(EventPlannerTest, ClaimedBlinkEventIsAdopted) {
  RemoteEvent made_in_blink;
  made_in_blink.id = 400;
  made_in_blink.staff_ids = {1001};
  made_in_blink.student_ids = {5001};
  made_in_blink.start = utc("2030-02-25 16:00");
  made_in_blink.end = made_in_blink.start + std::chrono::minutes(45);
  remote.push_back(made_in_blink);
  auto event = single("A1");
  event.blink_event_id = 400;
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].action, EventAction::record);
  EXPECT_EQ(result.operations[0].synced.blink_event_id, 400);
  EXPECT_EQ(result.owners.at(400), "A1");
}

TEST_F(EventPlannerTest, KolkataStartConvertedWithHalfHour) {
  auto event = single("A1");
  event.timezone = "Asia/Kolkata";
  desired.push_back(event);
  const auto result = plan();
  ASSERT_EQ(result.operations.size(), 1U);
  EXPECT_EQ(result.operations[0].natural_key, "staff=1001 start=2030-02-25 03:30:00");
  EXPECT_EQ(result.operations[0].payload["start"], "2030-02-25 09:00");
  EXPECT_EQ(result.operations[0].payload["timezone"], "Asia/Kolkata");
}

}  // namespace
}  // namespace blink_sync
