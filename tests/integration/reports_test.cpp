// End-to-end tests of the attendance report import: blink-sync
// import-reports against the fake server's report rows and a real database.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <regex>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

// The zone the test imports in: UTC+05:30, so every local time differs from
// UTC by a half hour.
constexpr const char* kZone = "Asia/Kolkata";

// Returns the UTC day `offset` days from today as YYYY-MM-DD. Rows are
// seeded at 06:00 UTC (11:30 in Kolkata), so their day is the same in both.
std::string utc_day(int offset) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day day{today + std::chrono::days{offset}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

json event_row(std::int64_t id, int day_offset, const std::string& status = "Completed") {
  const auto start = utc_day(day_offset) + " 06:00:00";
  return {{"id", id},
          {"start", start},
          {"end", utc_day(day_offset) + " 06:45:00"},
          {"allDay", 0},
          {"student_connected_event", "Yes"},
          {"title", "Test Student"},
          {"details", nullptr},
          {"status", status},
          {"type_id", nullptr},
          {"type_name", nullptr},
          {"staff_name", "Test Staff"},
          {"staff_id", "16"},
          {"student_locations", ""},
          {"created_at", start},
          {"updated_at", start}};
}

json session_row(std::int64_t id, int day_offset, json student_ids) {
  const auto created = utc_day(day_offset) + " 06:00:00";
  return {{"id", id},
          {"session_id", 500 + id},
          {"session_created_at", created},
          {"staff_joined_session", created},
          {"student_joined_session", nullptr},
          {"length", nullptr},
          {"staff_id", 16},
          {"student_ids", std::move(student_ids)},
          {"student_names", "Test Student"},
          {"staff_name", "Test Staff"},
          {"session_recording_min", 25},
          {"session_recording_deleted_at", nullptr},
          {"session_recording_visible_to_student", 1}};
}

class Reports : public SyncFixture {
 protected:
  void SetUp() override {
    SyncSetup setup;
    setup.demo_roster = false;
    prepare_with_reports(setup);
  }

  // Prepares the fixture and adds a reports: section to its configuration.
  void prepare_with_reports(const SyncSetup& setup) {
    prepare(setup);
    std::ofstream(config_path(), std::ios::app) << "\nreports:\n  enabled: true\n  timezone: \"" << kZone << "\"\n"
                                                << "  start_date: \"" << utc_day(-10) << "\"\n"
                                                << "  overlap_days: 2\n  max_days_per_range: 4\n";
  }

  void seed(const json& rows) { control().send("POST", "/_control/reports", rows); }

  void seed_defaults() {
    seed({{"events", json::array({event_row(1, -8), event_row(2, -5), event_row(3, -3), event_row(4, -1)})},
          {"sessions", json::array({session_row(1, -7, 80), session_row(2, -4, "80,81"), session_row(3, -1, "")})}});
  }

  ProcessResult import_reports() { return run_sync({"import-reports"}); }

  // Returns the last "imported report=<name>" line of the log.
  std::string last_import_line(const std::string& report) const {
    const auto log = log_text();
    const std::regex pattern("imported report=" + report + " [^\n]*");
    std::string last;
    for (auto match = std::sregex_iterator(log.begin(), log.end(), pattern); match != std::sregex_iterator();
         ++match) {
      last = match->str();
    }
    return last;
  }

  std::string scalar(const std::string& sql) const { return database().scalar(sql); }
};

TEST_F(Reports, FirstImportStoresTypedRows) {
  seed_defaults();

  const auto result = import_reports();

  ASSERT_EQ(result.exit_code, 0) << result.err << log_text();
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_events"), "4");
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_sessions"), "3");
  EXPECT_EQ(scalar("SELECT start_at = '" + utc_day(-5) + " 06:00:00+00' FROM blink_sync.report_events WHERE id = 2"),
            "t");
  EXPECT_EQ(scalar("SELECT start_text FROM blink_sync.report_events WHERE id = 2"), utc_day(-5) + " 11:30:00");
  EXPECT_EQ(scalar("SELECT staff_id FROM blink_sync.report_events WHERE id = 2"), "16");
  EXPECT_EQ(scalar("SELECT timezone FROM blink_sync.report_events WHERE id = 2"), kZone);
  EXPECT_EQ(scalar("SELECT student_ids::text FROM blink_sync.report_sessions WHERE id = 2"), "{80,81}");
  EXPECT_EQ(scalar("SELECT student_ids_text FROM blink_sync.report_sessions WHERE id = 2"), "80,81");
  EXPECT_EQ(scalar("SELECT student_ids::text FROM blink_sync.report_sessions WHERE id = 1"), "{80}");
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_sessions WHERE staff_joined_at IS NULL"), "0");
  EXPECT_NE(last_import_line("events").find("inserted=4 changed=0 unchanged=0 errors=0"), std::string::npos)
      << log_text();
  // Eleven days (twelve once Kolkata is a day ahead of UTC) in ranges of at
  // most four days: three ranges.
  EXPECT_NE(last_import_line("events").find("ranges=3"), std::string::npos) << log_text();
  EXPECT_EQ(log_text().find("Test Student"), std::string::npos) << "a name reached the log";
}

TEST_F(Reports, SecondImportImportsNothingNew) {
  seed_defaults();
  ASSERT_EQ(import_reports().exit_code, 0) << log_text();
  const auto before = blink_stats();

  const auto result = import_reports();

  ASSERT_EQ(result.exit_code, 0) << result.err << log_text();
  EXPECT_NE(last_import_line("events").find("inserted=0 changed=0"), std::string::npos) << log_text();
  EXPECT_NE(last_import_line("sessions").find("inserted=0 changed=0"), std::string::npos) << log_text();
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_events WHERE changed_at IS NOT NULL"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_sessions WHERE changed_at IS NOT NULL"), "0");
  // Only the overlap window is read: one range, one page, per report.
  EXPECT_EQ(count_between(before, blink_stats(), "GET", "reports"), 2);
  EXPECT_NE(last_import_line("events").find("ranges=1"), std::string::npos) << log_text();
}

TEST_F(Reports, ChangedStatusCountsOneChange) {
  seed_defaults();
  ASSERT_EQ(import_reports().exit_code, 0) << log_text();
  seed({{"events", json::array({event_row(4, -1, "Student-No-Show")})}});

  const auto result = import_reports();

  ASSERT_EQ(result.exit_code, 0) << result.err << log_text();
  EXPECT_NE(last_import_line("events").find("inserted=0 changed=1"), std::string::npos) << log_text();
  EXPECT_EQ(scalar("SELECT status FROM blink_sync.report_events WHERE id = 4"), "Student-No-Show");
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_events WHERE changed_at IS NOT NULL"), "1");
  EXPECT_EQ(scalar("SELECT changed_at IS NOT NULL FROM blink_sync.report_events WHERE id = 4"), "t");
}

TEST_F(Reports, BadValueIsRecordErrorRestImported) {
  auto bad_event = event_row(2, -5);
  bad_event["end"] = "soon";
  auto bad_session = session_row(2, -4, "80,eighty-one");
  seed({{"events", json::array({event_row(1, -8), bad_event, event_row(3, -3)})},
        {"sessions", json::array({session_row(1, -7, 80), bad_session})}});

  const auto result = import_reports();

  ASSERT_EQ(result.exit_code, 0) << result.err << log_text();
  const auto log = log_text();
  EXPECT_NE(log.find("report events row 2: end \"soon\""), std::string::npos) << log;
  EXPECT_NE(log.find("report sessions row 2: student_ids \"80,eighty-one\""), std::string::npos) << log;
  EXPECT_NE(last_import_line("events").find("inserted=3 changed=0 unchanged=0 errors=1"), std::string::npos) << log;
  EXPECT_EQ(scalar("SELECT end_text FROM blink_sync.report_events WHERE id = 2"), "soon");
  EXPECT_EQ(scalar("SELECT end_at IS NULL FROM blink_sync.report_events WHERE id = 2"), "t");
  EXPECT_EQ(scalar("SELECT student_ids IS NULL FROM blink_sync.report_sessions WHERE id = 2"), "t");
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_sessions"), "2");
}

TEST_F(Reports, FailedRangeKeepsMarkAtLastComplete) {
  seed_defaults();
  // The second events range is rejected; the first one was stored.
  control().add_faults(
      {{"method", "GET"}, {"path_prefix", "/v1/reports/events"}, {"action", "reject406"}, {"skip", 1}});

  const auto result = import_reports();

  EXPECT_EQ(result.exit_code, 1) << log_text();
  const auto log = log_text();
  EXPECT_NE(log.find("the events import failed after 1 complete range(s)"), std::string::npos) << log;
  EXPECT_EQ(scalar("SELECT imported_through = '" + utc_day(-10) + "'::date + 3 FROM blink_sync.report_marks "
                   "WHERE report = 'events'"),
            "t");
  EXPECT_NE(scalar("SELECT last_error FROM blink_sync.report_marks WHERE report = 'events'"), "");
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_events"), "1");
  // The other report is imported all the same.
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_sessions"), "3");

  control().clear_faults();
  ASSERT_EQ(import_reports().exit_code, 0) << log_text();
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_events"), "4");
  EXPECT_EQ(scalar("SELECT last_error IS NULL FROM blink_sync.report_marks WHERE report = 'events'"), "t");
}

TEST_F(Reports, StatusShowsImportState) {
  seed_defaults();
  control().add_faults({{"method", "GET"}, {"path_prefix", "/v1/reports/sessions"}, {"action", "reject406"}});
  import_reports();

  const auto status = run_sync({"status"});

  ASSERT_EQ(status.exit_code, 0) << status.err;
  // Today in Kolkata is the UTC day or, after 18:30 UTC, the next one.
  const bool through_today = status.out.find("report=events imported_through=" + utc_day(0)) != std::string::npos ||
                             status.out.find("report=events imported_through=" + utc_day(1)) != std::string::npos;
  EXPECT_TRUE(through_today) << status.out;
  EXPECT_NE(status.out.find("report=sessions imported_through=- timezone=Asia/Kolkata"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("failed with HTTP 406"), std::string::npos) << status.out;
}

TEST_F(Reports, DaemonImportsAfterCycleOnce) {
  SyncSetup setup;
  setup.poll_interval_seconds = 1;
  prepare_with_reports(setup);
  seed_defaults();
  auto daemon = start_sync({});

  ASSERT_TRUE(daemon->wait_for_stderr("imported report=sessions", std::chrono::seconds(60))) << log_text();
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=3", std::chrono::seconds(60))) << log_text();
  daemon->send_signal(SIGTERM);
  const auto result = daemon->wait(std::chrono::seconds(20));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto log = log_text();
  const auto first_cycle = log.find("cycle: finished cycle=1");
  const auto events_import = log.find("imported report=events");
  const auto second_cycle = log.find("cycle: finished cycle=2");
  ASSERT_NE(events_import, std::string::npos) << log;
  EXPECT_LT(first_cycle, events_import) << "the import ran before the first cycle finished";
  EXPECT_LT(events_import, second_cycle) << "the import did not run between the cycles";
  // reports.interval_hours is 24, so the later cycles import nothing.
  EXPECT_EQ(log.find("imported report=events", events_import + 1), std::string::npos) << log;
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_events"), "4");
}

TEST_F(Reports, DaemonRetriesFailedReportOnly) {
  SyncSetup setup;
  setup.poll_interval_seconds = 1;
  prepare_with_reports(setup);
  seed_defaults();
  control().add_faults({{"method", "GET"}, {"path_prefix", "/v1/reports/sessions"}, {"action", "reject406"}});
  ASSERT_EQ(import_reports().exit_code, 1) << log_text();
  control().clear_faults();
  // The failed sessions import ended more than an hour ago.
  database().execute("UPDATE blink_sync.report_marks SET attempted_at = now() - interval '61 minutes' "
                     "WHERE report = 'sessions'");
  auto daemon = start_sync({});

  ASSERT_TRUE(daemon->wait_for_stderr("imported report=sessions", std::chrono::seconds(60))) << log_text();
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=2", std::chrono::seconds(60))) << log_text();
  daemon->send_signal(SIGTERM);
  const auto result = daemon->wait(std::chrono::seconds(20));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(scalar("SELECT count(*) FROM blink_sync.report_sessions"), "3");
  EXPECT_EQ(scalar("SELECT last_error IS NULL FROM blink_sync.report_marks WHERE report = 'sessions'"), "t");
  // The events import succeeded less than reports.interval_hours ago.
  const auto log = log_text();
  const auto first_events = log.find("imported report=events");
  ASSERT_NE(first_events, std::string::npos) << log;
  EXPECT_EQ(log.find("imported report=events", first_events + 1), std::string::npos) << log;
}

TEST_F(Reports, DisabledReportsRejectCommand) {
  prepare(SyncSetup{});

  const auto result = import_reports();

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("reports.enabled is false"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace blink_sync::testing
