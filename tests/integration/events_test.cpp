// End-to-end tests of appointments: the blink-sync executable against the
// reference roster in PostgreSQL and the fake Blink server's events.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <set>
#include <string>
#include <vector>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The reference roster's appointments as the daemon reads them.
constexpr const char* kEventsYaml = R"(events:
  enabled: true
  window_days_past: 3660
  window_days_future: 3660
  query: |
    SELECT a.id AS local_id,
           (SELECT string_agg(ac.clinician_id::text, ',') FROM roster.appointment_clinicians AS ac
             WHERE ac.appointment_id = a.id) AS staff_local_ids,
           (SELECT string_agg(ap.pupil_id::text, ',') FROM roster.appointment_pupils AS ap
             WHERE ap.appointment_id = a.id) AS student_local_ids,
           a.title, a.starts_at AS start, a.time_zone AS timezone, a.minutes, a.all_day,
           a.details, a.type_id, a.status, a.repeat_weeks AS frequency, a.repeat_count AS occurrences,
           a.blink_event_id
      FROM roster.appointments AS a
     ORDER BY a.id
  write_back_status: |
    UPDATE roster.appointments SET status = :status, blink_event_id = :blink_event_id, blink_status_at = now()
     WHERE id = :local_id::int AND repeat_weeks IS NULL
)";

// Adds each event created in Blink to the roster, with its staff.
constexpr const char* kWriteBackCreatedYaml = R"(  write_back_created: |
    WITH added AS (
      INSERT INTO roster.appointments (title, starts_at, time_zone, minutes, status, blink_event_id)
      VALUES (:title, :start_utc::timestamp, 'UTC', :minutes::int, :status, :blink_event_id::bigint)
      RETURNING id)
    INSERT INTO roster.appointment_clinicians (appointment_id, clinician_id)
    SELECT added.id, staff::int FROM added, unnest(string_to_array(:staff_local_ids, ',')) AS staff
)";

class Events : public SyncFixture {
 protected:
  void SetUp() override { prepare_events(""); }

  void prepare_events(const std::string& extra_events_yaml) {
    SyncSetup setup;
    setup.extra_roster_yaml = std::string(kEventsYaml) + extra_events_yaml;
    prepare(setup);
  }

  void sync_once() {
    const auto result = run_sync({"--once"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err << "\n" << log_text();
  }

  long long blink_id(const std::string& entity, const std::string& local_id) {
    return std::stoll(database().scalar("SELECT blink_id FROM blink_sync.mapping WHERE entity = '" + entity +
                                        "' AND local_id = '" + local_id + "'"));
  }

  long long event_id(const std::string& local_id) {
    const auto text =
        database().scalar("SELECT blink_event_id FROM blink_sync.event_mapping WHERE local_id = '" + local_id + "'");
    return text.empty() ? 0 : std::stoll(text);
  }

  // Returns Blink's events sorted by start.
  std::vector<json> blink_events() {
    std::vector<json> events;
    const auto state = blink_state();
    for (const auto& event : state["events"]) {
      events.push_back(event);
    }
    std::sort(events.begin(), events.end(),
              [](const json& a, const json& b) { return a["start_utc"].get<std::string>() < b["start_utc"].get<std::string>(); });
    return events;
  }

  static std::set<long long> ids(const json& list) {
    std::set<long long> set;
    for (const auto& id : list) {
      set.insert(id.get<long long>());
    }
    return set;
  }

  // Returns the summary line of the last cycle, from "cycle: finished" on.
  std::string last_summary_line() {
    const auto run_id = database().scalar("SELECT max(id) FROM blink_sync.runs");
    const auto log = log_text();
    const auto start = log.find("cycle: finished cycle=" + run_id + " ");
    if (start == std::string::npos) {
      ADD_FAILURE() << "no summary line for cycle " << run_id << " in:\n" << log;
      return "";
    }
    return log.substr(start, log.find('\n', start) - start);
  }

  std::string record_errors() {
    return database().scalar("SELECT string_agg(local_id || ': ' || message, E'\\n') FROM blink_sync.record_errors "
                             "WHERE entity = 'event'");
  }
};

TEST_F(Events, SingleCreateMoveRelinkCancelDelete) {
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes, details) "
      "VALUES (1, '2030-02-25 09:00', 'America/Denver', 45, 'first visit');"
      "INSERT INTO roster.appointment_clinicians VALUES (1, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (1, 1);");
  sync_once();

  auto events = blink_events();
  ASSERT_EQ(events.size(), 1U) << log_text();
  EXPECT_EQ(events[0]["start_utc"], "2030-02-25 16:00:00");
  EXPECT_EQ(events[0]["end_utc"], "2030-02-25 16:45:00");
  EXPECT_EQ(ids(events[0]["staff_ids"]), std::set<long long>{blink_id("staff", "1")});
  EXPECT_EQ(ids(events[0]["student_ids"]), std::set<long long>{blink_id("student", "1")});
  EXPECT_EQ(events[0]["details"], "first visit");
  EXPECT_EQ(event_id("1"), events[0]["id"].get<long long>());

  // Move.
  database().execute("UPDATE roster.appointments SET starts_at = '2030-02-26 10:30' WHERE id = 1");
  sync_once();
  events = blink_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["start_utc"], "2030-02-26 17:30:00");
  EXPECT_EQ(events[0]["end_utc"], "2030-02-26 18:15:00");

  // Relink: a second clinician, another pupil.
  database().execute(
      "INSERT INTO roster.appointment_clinicians VALUES (1, 2);"
      "UPDATE roster.appointment_pupils SET pupil_id = 2 WHERE appointment_id = 1;");
  sync_once();
  events = blink_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(ids(events[0]["staff_ids"]), (std::set<long long>{blink_id("staff", "1"), blink_id("staff", "2")}));
  EXPECT_EQ(ids(events[0]["student_ids"]), std::set<long long>{blink_id("student", "2")});

  // Cancel from the roster.
  database().execute("UPDATE roster.appointments SET status = 'Canceled-by-Staff' WHERE id = 1");
  sync_once();
  EXPECT_EQ(blink_events()[0]["status"], "Canceled-by-Staff");
  EXPECT_EQ(database().scalar("SELECT status FROM roster.appointments WHERE id = 1"), "Canceled-by-Staff");

  // An unchanged roster sends no event write.
  const auto before = blink_stats();
  sync_once();
  EXPECT_EQ(writes_between(before, blink_stats()), 0);

  // Delete, while another appointment stays: a query returning no rows
  // deletes nothing.
  database().execute(
      "INSERT INTO roster.appointments (id, title, starts_at, time_zone, minutes) "
      "VALUES (9, 'Staff meeting', '2030-06-01 12:00', 'America/Denver', 30);"
      "INSERT INTO roster.appointment_clinicians VALUES (9, 1);"
      "DELETE FROM roster.appointments WHERE id = 1;");
  sync_once();
  events = blink_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["title"], "Staff meeting");
  EXPECT_EQ(event_id("1"), 0);
  EXPECT_EQ(record_errors(), "");
}

TEST_F(Events, DeletionCountedApartFromRecords) {
  database().execute(
      "INSERT INTO roster.appointments (id, title, starts_at, time_zone, minutes) "
      "VALUES (1, 'Supervision', '2030-02-25 09:00', 'America/Denver', 45), "
      "(9, 'Staff meeting', '2030-06-01 12:00', 'America/Denver', 30);"
      "INSERT INTO roster.appointment_clinicians VALUES (1, 1), (9, 1);");
  sync_once();
  ASSERT_EQ(blink_events().size(), 2U) << log_text();
  EXPECT_EQ(database().scalar("SELECT events_created FROM blink_sync.runs ORDER BY id DESC LIMIT 1"), "2");

  // Delete one appointment while every staff member stays in the roster.
  database().execute("DELETE FROM roster.appointments WHERE id = 1");
  sync_once();
  ASSERT_EQ(blink_events().size(), 1U) << log_text();

  const auto line = last_summary_line();
  EXPECT_NE(line.find(" created=0 "), std::string::npos) << line;
  EXPECT_NE(line.find(" updated=0 "), std::string::npos) << line;
  EXPECT_NE(line.find(" deleted=0 "), std::string::npos) << line;
  EXPECT_NE(line.find(" events_created=0 events_updated=0 events_deleted=1"), std::string::npos) << line;
  EXPECT_EQ(database().scalar("SELECT created || ' ' || updated || ' ' || deleted FROM blink_sync.runs "
                              "ORDER BY id DESC LIMIT 1"),
            "0 0 0");
  EXPECT_EQ(database().scalar("SELECT events_created || ' ' || events_updated || ' ' || events_deleted "
                              "FROM blink_sync.runs ORDER BY id DESC LIMIT 1"),
            "0 0 1");

  const auto status = run_sync({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find(" deleted=0 errors=0 api_calls="), std::string::npos) << status.out;
  EXPECT_NE(status.out.find(" events_created=0 events_updated=0 events_deleted=1"), std::string::npos) << status.out;
}

TEST_F(Events, SeriesKeepsWallTimeAcrossDenverDaylightChange) {
  // Weekly at 09:00 in Denver; daylight saving time begins on 2030-03-10.
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes, repeat_weeks, repeat_count) "
      "VALUES (2, '2030-02-25 09:00', 'America/Denver', 60, 1, 4);"
      "INSERT INTO roster.appointment_clinicians VALUES (2, 3);"
      "INSERT INTO roster.appointment_pupils VALUES (2, 4);");
  sync_once();

  auto events = blink_events();
  ASSERT_EQ(events.size(), 4U) << log_text();
  const std::vector<std::string> created = {"2030-02-25 16:00:00", "2030-03-04 16:00:00", "2030-03-11 15:00:00",
                                            "2030-03-18 15:00:00"};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]["start_utc"], created[i]) << "event " << i;
    EXPECT_EQ(events[i]["recurring_of_event_id"], events[0]["id"]);
  }
  EXPECT_EQ(event_id("2"), events[0]["id"].get<long long>());

  // Move the series an hour later: every event keeps its wall time.
  database().execute("UPDATE roster.appointments SET starts_at = '2030-02-25 10:00' WHERE id = 2");
  sync_once();
  events = blink_events();
  ASSERT_EQ(events.size(), 4U);
  const std::vector<std::string> moved = {"2030-02-25 17:00:00", "2030-03-04 17:00:00", "2030-03-11 16:00:00",
                                          "2030-03-18 16:00:00"};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]["start_utc"], moved[i]) << "event " << i;
  }

  // Relink the series to another clinician.
  database().execute("UPDATE roster.appointment_clinicians SET clinician_id = 4 WHERE appointment_id = 2");
  sync_once();
  for (const auto& event : blink_events()) {
    EXPECT_EQ(ids(event["staff_ids"]), std::set<long long>{blink_id("staff", "4")});
  }

  // Turning the series into a single event is refused.
  database().execute("UPDATE roster.appointments SET repeat_weeks = NULL, repeat_count = NULL WHERE id = 2");
  sync_once();
  EXPECT_NE(record_errors().find("cannot turn a series into a single event"), std::string::npos) << record_errors();
  EXPECT_EQ(blink_events().size(), 4U);

  // Delete the series; another appointment stays.
  database().execute(
      "INSERT INTO roster.appointments (id, title, starts_at, time_zone, minutes) "
      "VALUES (9, 'Staff meeting', '2031-06-01 12:00', 'America/Denver', 30);"
      "INSERT INTO roster.appointment_clinicians VALUES (9, 1);"
      "DELETE FROM roster.appointments WHERE id = 2;");
  sync_once();
  events = blink_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["title"], "Staff meeting");
}

TEST_F(Events, HalfHourZoneStartsOnTheHalfHour) {
  database().execute(
      "INSERT INTO roster.appointments (id, title, starts_at, time_zone, minutes) "
      "VALUES (3, 'Team meeting', '2030-01-15 09:00', 'Asia/Kolkata', 30);"
      "INSERT INTO roster.appointment_clinicians VALUES (3, 1);");
  sync_once();

  const auto events = blink_events();
  ASSERT_EQ(events.size(), 1U) << log_text();
  EXPECT_EQ(events[0]["start_utc"], "2030-01-15 03:30:00");
  EXPECT_EQ(events[0]["title"], "Team meeting");
  EXPECT_EQ(database().scalar("SELECT starts_at AT TIME ZONE 'UTC' FROM blink_sync.remote_events"),
            "2030-01-15 03:30:00");
}

TEST_F(Events, UnchangedAppointmentsNotReadAgain) {
  prepare_events("  skip_unchanged_reads: true\n");
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (4, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (4, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (4, 1);");
  sync_once();  // creates the event
  sync_once();  // reads it back and finds nothing to do

  const auto before = blink_stats();
  sync_once();
  EXPECT_EQ(blink_stats()["requests_total"], before["requests_total"]) << "an unchanged cycle makes no call";

  database().execute("UPDATE roster.appointments SET minutes = 60 WHERE id = 4");
  sync_once();
  EXPECT_EQ(blink_events()[0]["end_utc"], "2030-02-25 17:00:00") << "a changed appointment is read and sent again";
}

TEST_F(Events, StatusSetInBlinkReachesDatabase) {
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (4, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (4, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (4, 1);");
  sync_once();
  const auto id = event_id("4");
  ASSERT_GT(id, 0) << log_text();

  // A person marks the appointment in Blink.
  const auto response = blink_api("PUT", "/events/" + std::to_string(id), {{"status", "Student-No-Show"}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  sync_once();

  EXPECT_EQ(database().scalar("SELECT status FROM blink_sync.remote_events WHERE blink_event_id = " +
                              std::to_string(id)),
            "Student-No-Show");
  EXPECT_EQ(database().scalar("SELECT status FROM roster.appointments WHERE id = 4"), "Student-No-Show");
  EXPECT_EQ(database().scalar("SELECT blink_event_id FROM roster.appointments WHERE id = 4"), std::to_string(id));

  // The status written back is not sent to Blink again.
  const auto before = blink_stats();
  sync_once();
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(blink_events()[0]["status"], "Student-No-Show");
  EXPECT_EQ(record_errors(), "");
}

TEST_F(Events, StatusWriteBackDoesNotWakeDaemon) {
  SyncSetup setup;
  setup.poll_interval_seconds = 3600;
  setup.extra_roster_yaml = "  watch_tables: [roster.pupils, roster.appointments]\n" + std::string(kEventsYaml);
  prepare(setup);
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (4, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (4, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (4, 1);");
  const auto installed = run_sync({"install-triggers"});
  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=1", std::chrono::seconds(60)));
  const auto id = event_id("4");
  ASSERT_GT(id, 0) << log_text();

  // A person marks the appointment in Blink, and a roster change wakes the
  // daemon, which writes the status back to roster.appointments.
  const auto response = blink_api("PUT", "/events/" + std::to_string(id), {{"status", "Student-No-Show"}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  database().execute("UPDATE roster.pupils SET given_name = 'Zoë' WHERE id = 3");
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=2", std::chrono::seconds(60)));
  EXPECT_EQ(database().scalar("SELECT status FROM roster.appointments WHERE id = 4"), "Student-No-Show");

  // The daemon's own write must not wake it: the next cycle is an hour away.
  EXPECT_FALSE(daemon->wait_for_stderr("cycle: finished cycle=3", std::chrono::seconds(5))) << log_text();
  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait(std::chrono::seconds(20)).exit_code, 0);
}

TEST_F(Events, FailedStatusWriteBackStoresNothing) {
  SyncSetup setup;
  setup.extra_roster_yaml = replaced(kEventsYaml, "blink_status_at = now()", "no_status_column = now()");
  prepare(setup);
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (4, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (4, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (4, 1);");
  sync_once();
  const auto id = event_id("4");
  ASSERT_GT(id, 0) << log_text();
  const auto id_text = std::to_string(id);

  // A person marks the appointment in Blink, and the status statement fails.
  const auto response = blink_api("PUT", "/events/" + id_text, {{"status", "Student-No-Show"}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  sync_once();

  const auto error = database().scalar(
      "SELECT local_id || ' ' || blink_id || ' ' || message FROM blink_sync.record_errors WHERE entity = 'event'");
  EXPECT_EQ(error.rfind("4 " + id_text + " events.write_back_status failed for the status Student-No-Show set in "
                        "Blink: ",
                        0),
            0U)
      << error;
  EXPECT_NE(error.find("no_status_column"), std::string::npos) << error;
  EXPECT_NE(error.find("SQLSTATE 42703"), std::string::npos) << error;
  EXPECT_NE(error.find("The events read from Blink in this cycle were not stored"), std::string::npos) << error;
  EXPECT_NE(error.find("runs again next cycle"), std::string::npos) << error;
  EXPECT_NE(log_text().find("record error: entity=event local_id=4 blink_id=" + id_text + " status=- message=\""
                            "events.write_back_status failed"),
            std::string::npos)
      << log_text();
  EXPECT_EQ(database().scalar("SELECT status FROM blink_sync.remote_events WHERE blink_event_id = " + id_text),
            "Scheduled");
  EXPECT_EQ(database().scalar("SELECT status FROM roster.appointments WHERE id = 4"), "Scheduled");
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs ORDER BY id DESC LIMIT 1"),
            "succeeded_with_errors");

  // Once the roster has the column, the next cycle writes the status back.
  database().execute("ALTER TABLE roster.appointments ADD COLUMN no_status_column timestamptz");
  sync_once();
  EXPECT_EQ(database().scalar("SELECT status FROM roster.appointments WHERE id = 4"), "Student-No-Show");
  EXPECT_EQ(database().scalar("SELECT status FROM blink_sync.remote_events WHERE blink_event_id = " + id_text),
            "Student-No-Show");
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs ORDER BY id DESC LIMIT 1"), "succeeded");
}

TEST_F(Events, EventCreatedInBlinkIsStored) {
  sync_once();
  const auto staff = blink_id("staff", "2");
  const auto response = blink_api("POST", "/events",
                                  {{"linked_staff_ids", std::to_string(staff)},
                                   {"timezone", "Australia/Adelaide"},
                                   {"start", "2030-07-15 09:00"},
                                   {"minutes", 30},
                                   {"title", "Supervision"}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  sync_once();

  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.remote_events WHERE local_id IS NULL"), "1");
  EXPECT_EQ(database().scalar("SELECT starts_at AT TIME ZONE 'UTC' FROM blink_sync.remote_events"),
            "2030-07-14 23:30:00");
  EXPECT_EQ(database().scalar("SELECT staff_ids::text FROM blink_sync.remote_events"),
            "{" + std::to_string(staff) + "}");
}

TEST_F(Events, LostCreateResponseIsFoundNextCycle) {
  sync_once();
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (6, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (6, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (6, 1);");
  control().add_faults(
      json{{"method", "POST"}, {"path_prefix", "/v1/events"}, {"action", "drop_after_apply"}, {"count", 1}});

  sync_once();
  EXPECT_EQ(blink_events().size(), 1U);
  EXPECT_EQ(event_id("6"), 0);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE entity = 'event' AND outcome IS NULL"),
            "1");

  sync_once();
  const auto events = blink_events();
  ASSERT_EQ(events.size(), 1U) << "the lost create is not sent again";
  EXPECT_EQ(event_id("6"), events[0]["id"].get<long long>());
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.intents WHERE entity = 'event'"), "found");
}

TEST_F(Events, HeldCreateIsReported) {
  sync_once();
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (6, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (6, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (6, 1);");
  control().add_faults(
      json{{"method", "POST"}, {"path_prefix", "/v1/events"}, {"action", "drop_before_apply"}, {"count", 1}});
  sync_once();

  // Blink never got it, but the daemon cannot know that before the settle time.
  sync_once();

  EXPECT_TRUE(blink_events().empty());
  EXPECT_NE(record_errors().find("6: not created again yet"), std::string::npos) << record_errors();
}

TEST_F(Events, SeriesEventStatusReachesDatabase) {
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes, repeat_weeks, repeat_count) "
      "VALUES (7, '2030-01-14 09:00', 'Asia/Kolkata', 30, 2, 3);"
      "INSERT INTO roster.appointment_clinicians VALUES (7, 2);"
      "INSERT INTO roster.appointment_pupils VALUES (7, 3);");
  sync_once();
  auto events = blink_events();
  ASSERT_EQ(events.size(), 3U) << log_text();
  EXPECT_EQ(events[1]["start_utc"], "2030-01-28 03:30:00");
  sync_once();  // the first read of the series records which events are the appointment's

  // A person marks the second event only: Blink takes it out of the series.
  const auto second = events[1]["id"].get<long long>();
  const auto response = blink_api("PUT", "/events/" + std::to_string(second),
                                  {{"status", "Canceled-by-Student-(Late-Notice)"}, {"edit_recurring_future", 0}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  sync_once();

  EXPECT_EQ(database().scalar("SELECT status || ' ' || local_id FROM blink_sync.remote_events WHERE blink_event_id = " +
                              std::to_string(second)),
            "Canceled-by-Student-(Late-Notice) 7");
  const auto before = blink_stats();
  sync_once();
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(record_errors(), "");
}

TEST_F(Events, CreatedInBlinkWrittenBackAndMapped) {
  prepare_events(kWriteBackCreatedYaml);
  sync_once();
  const auto response = blink_api("POST", "/events",
                                  {{"linked_staff_ids", std::to_string(blink_id("staff", "2"))},
                                   {"timezone", "Australia/Adelaide"},
                                   {"start", "2030-07-15 09:00"},
                                   {"minutes", 30},
                                   {"title", "Supervision"}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  const auto id = response["data"]["id"].get<long long>();

  sync_once();
  const auto local_id = database().scalar("SELECT id FROM roster.appointments WHERE blink_event_id = " +
                                          std::to_string(id));
  ASSERT_FALSE(local_id.empty()) << log_text();
  EXPECT_EQ(database().scalar("SELECT title || ' ' || starts_at || ' ' || minutes FROM roster.appointments"),
            "Supervision 2030-07-14 23:30:00 30");
  EXPECT_EQ(database().scalar("SELECT clinician_id FROM roster.appointment_clinicians"), "2");

  // The roster row claims the event instead of creating another.
  const auto before = blink_stats();
  sync_once();
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(blink_events().size(), 1U);
  EXPECT_EQ(event_id(local_id), id);
  EXPECT_EQ(record_errors(), "");
}

TEST_F(Events, FailedCreatedWriteBackStoresNothing) {
  prepare_events(replaced(kWriteBackCreatedYaml, "INSERT INTO roster.appointments (title,",
                          "INSERT INTO roster.no_appointments (title,"));
  sync_once();
  const auto response = blink_api("POST", "/events",
                                  {{"linked_staff_ids", std::to_string(blink_id("staff", "2"))},
                                   {"timezone", "Australia/Adelaide"},
                                   {"start", "2030-07-15 09:00"},
                                   {"minutes", 30},
                                   {"title", "Supervision"}});
  ASSERT_EQ(response["status"]["status_code"], 200) << response.dump();
  const auto id_text = std::to_string(response["data"]["id"].get<long long>());

  sync_once();
  const auto error = database().scalar(
      "SELECT local_id || ' ' || blink_id || ' ' || message FROM blink_sync.record_errors WHERE entity = 'event'");
  EXPECT_EQ(error.rfind(" " + id_text + " events.write_back_created failed for an event created in Blink: ", 0), 0U)
      << error;
  EXPECT_NE(error.find("no_appointments"), std::string::npos) << error;
  EXPECT_EQ(error.find("Supervision"), std::string::npos) << "the title may name a person: " << error;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.remote_events"), "0");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM roster.appointments"), "0");
}

// Blink may quote the event it rejects, and a title or details may name a
// person, so the daemon masks the values it sent.
TEST_F(Events, RejectedTitleNotLogged) {
  database().execute(
      "INSERT INTO roster.appointments (id, title, details, starts_at, time_zone, minutes) "
      "VALUES (5, 'Speech with Zoë Ortiz', 'Bring Zoë''s folder', '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (5, 1);");  // no pupil, so the title is sent
  control().add_faults(json{{"method", "POST"},
                            {"path_prefix", "/v1/events"},
                            {"action", "reject406"},
                            {"message", "title Speech with Zoë Ortiz clashes with Bring Zoë's folder"},
                            {"count", 1}});

  sync_once();

  const auto logs = log_text() + record_errors();
  EXPECT_NE(logs.find("title <title> clashes with <details>"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("Zoë"), std::string::npos) << "a name reached the log";
}

TEST_F(Events, UnknownPupilIsRecordError) {
  database().execute(
      "INSERT INTO roster.appointments (id, starts_at, time_zone, minutes) "
      "VALUES (5, '2030-02-25 09:00', 'America/Denver', 45);"
      "INSERT INTO roster.appointment_clinicians VALUES (5, 1);"
      "INSERT INTO roster.appointment_pupils VALUES (5, 6);");  // pupil 6 has left the roster
  sync_once();
  EXPECT_TRUE(blink_events().empty());
  EXPECT_NE(record_errors().find("5: students 6 have no Blink id"), std::string::npos) << record_errors();
}

TEST_F(Events, CheckConfigAcceptsEventStatements) {
  prepare_events(kWriteBackCreatedYaml);

  const auto result = run_sync({"check-config"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("events.query: the query runs"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("events.write_back_status: the statement is valid"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("events.write_back_created: the statement is valid"), std::string::npos) << result.out;
}

TEST_F(Events, CheckConfigReportsEveryInvalidEventStatement) {
  auto yaml = std::string(kEventsYaml) + kWriteBackCreatedYaml;
  yaml = replaced(yaml, "FROM roster.appointments AS a", "FROM roster.no_appointments AS a");
  yaml = replaced(yaml, "blink_status_at = now()", "no_status_column = now()");
  yaml = replaced(yaml, "INSERT INTO roster.appointments (title,", "INSERT INTO roster.no_appointments (title,");
  SyncSetup setup;
  setup.extra_roster_yaml = yaml;
  prepare(setup);

  const auto result = run_sync({"check-config"});

  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("events.query: the query is invalid"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("events.write_back_status: the statement is invalid"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("no_status_column"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("events.write_back_created: the statement is invalid"), std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("roster.students: the query runs"), std::string::npos) << result.out;
}

TEST_F(Events, CheckConfigNamesMissingEventColumn) {
  SyncSetup setup;
  setup.extra_roster_yaml = replaced(kEventsYaml, "SELECT a.id AS local_id,", "SELECT a.id AS appointment_id,");
  prepare(setup);

  const auto result = run_sync({"check-config"});

  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("events.query: the query returns no column local_id"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace blink_sync::testing
