// End-to-end tests of edits made in Blink between cycles (field owners,
// drift, conflicts) and of records that exist only in Blink. Edits are made
// through the fake server's API with the token, as a person in the Blink
// web app would make them.

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <pqxx/connection>
#include <pqxx/transaction>

#include <atomic>
#include <functional>
#include <set>
#include <sstream>

#include "daemon/blink_client.hpp"
#include "daemon/clock.hpp"
#include "daemon/config.hpp"
#include "daemon/http_transport.hpp"
#include "daemon/migrations.hpp"
#include "daemon/sync_cycle.hpp"
#include "daemon/throttle.hpp"
#include "daemon/url.hpp"
#include "mapping/field_access.hpp"
#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

// Every cycle reads Blink in full, so an edit made in Blink between two
// cycles is seen by the second.
constexpr const char* kReadEveryCycle = "  reconcile_interval_seconds: 0\n";

const json* find_by_id(const json& list, long long id) {
  for (const auto& record : list) {
    if (record["id"].get<long long>() == id) {
      return &record;
    }
  }
  return nullptr;
}

std::set<long long> id_set(const json& ids) {
  std::set<long long> set;
  for (const auto& id : ids) {
    set.insert(id.get<long long>());
  }
  return set;
}

class BlinkEdits : public SyncFixture {
 protected:
  void prepare_with(const std::string& sync_yaml) {
    SyncSetup setup;
    setup.extra_sync_yaml = std::string(kReadEveryCycle) + sync_yaml;
    prepare(setup);
  }

  long long blink_id(const std::string& entity, const std::string& local_id) {
    return std::stoll(database().scalar("SELECT blink_id FROM blink_sync.mapping WHERE entity = '" + entity +
                                        "' AND local_id = '" + local_id + "'"));
  }

  std::string synced_field(const std::string& entity, const std::string& local_id, const std::string& field) {
    return database().scalar("SELECT synced_fields->>'" + field + "' FROM blink_sync.mapping WHERE entity = '" +
                             entity + "' AND local_id = '" + local_id + "'");
  }

  json blink_record(const std::string& list, long long id) {
    const auto state = blink_state();
    const auto* record = find_by_id(state[list], id);
    return record == nullptr ? json() : *record;
  }

  std::string conflict_count() { return database().scalar("SELECT count(*) FROM blink_sync.conflicts"); }

  // Creates a student in Blink that no roster record has, and returns its id.
  long long create_blink_only_student() {
    const auto response = blink_api("POST", "/students",
                                    {{"first_name", "Only"},
                                     {"last_name", "InBlink"},
                                     {"date_of_birth", "01/02/2012"},
                                     {"student_timezone", "America/New_York"}});
    return response["data"]["id"].get<long long>();
  }

  // Runs one cycle inside this process, with `hook` as the write-back, the
  // way the daemon runs it.
  CycleReport run_cycle_with_hook(const WriteBackHook& hook) {
    ConfigEnvironment environment;
    environment.token = token();
    const auto config = load_config(config_path().string(), environment);
    pqxx::connection database(config.database.url);
    apply_migrations(database);

    boost::asio::io_context io;
    SteadyClock clock(io.get_executor());
    HttpTransport transport(io.get_executor(), parse_endpoint(config.blink.base_url), TransportOptions{});
    TokenBucket::Limits limits;
    limits.requests_per_window = config.blink.requests_per_minute;
    TokenBucket bucket(limits, clock.now());
    BlinkClient client(transport, clock, bucket,
                       ClientOptions{token(), RetryPolicy{3, std::chrono::milliseconds(50), std::chrono::milliseconds(200)},
                                     [] { return 1.0; }});
    std::atomic<bool> stop_requested{false};
    std::stringstream plan_output;
    SyncCycle cycle({config, database, client, stop_requested, plan_output, hook});

    auto report = boost::asio::co_spawn(io, cycle.run(CycleRequest{}), boost::asio::use_future);
    io.run();
    return report.get();
  }
};

// A write-back that stores pulled staff phones and student first names in
// the roster, in the transaction the daemon hands it.
WriteBackHook roster_write_back() {
  return [](pqxx::work& transaction, Entity entity, const std::string& local_id, std::int64_t,
            const FieldValues& pulled) -> std::optional<RecordError> {
    if (entity == Entity::staff) {
      const auto& phone = value_at(pulled, *field_index(Entity::staff, "phone"));
      if (phone) {
        transaction.exec_params("UPDATE roster.clinicians SET phone = $1 WHERE id = $2::integer", *phone, local_id);
      }
    }
    if (entity == Entity::student) {
      const auto& first_name = value_at(pulled, *field_index(Entity::student, "first_name"));
      if (first_name) {
        transaction.exec_params("UPDATE roster.pupils SET given_name = $1 WHERE id = $2::integer", *first_name,
                                local_id);
      }
    }
    return std::nullopt;
  };
}

// ---- Field owners and drift ----

TEST_F(BlinkEdits, RosterFieldDriftPutBack) {
  prepare_with("");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto student_id = blink_id("student", "7");
  blink_api("PUT", "/students/" + std::to_string(student_id), {{"first_name", "Edited"}});

  const auto before = blink_stats();
  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_between(before, blink_stats(), "PUT", "students"), 1);
  EXPECT_EQ(blink_record("students", student_id)["first_name"],
            database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"));
  const auto log = log_text();
  EXPECT_NE(log.find("put back fields edited in Blink (drift) entity=student local_id=7 blink_id=" +
                     std::to_string(student_id) + " fields=first_name"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("drift=1"), std::string::npos) << log;
  EXPECT_EQ(log.find("Edited"), std::string::npos) << "a value was logged at info level";
  EXPECT_EQ(conflict_count(), "0");
}

// The reference write-back binds a pupil's names but not the birth date,
// so a birth date edited in Blink cannot reach the roster and stays in Blink.
TEST_F(BlinkEdits, BlinkOwnedEditKeptWithoutWriteBack) {
  prepare_with("  field_owners:\n    students:\n      date_of_birth: blink\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto student_id = blink_id("student", "7");
  const auto synced_birth_date = synced_field("student", "7", "date_of_birth");
  blink_api("PUT", "/students/" + std::to_string(student_id), {{"date_of_birth", "05/06/2013"}});

  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(writes_between(before, blink_stats()), 0) << "the Blink edit was overwritten";
  EXPECT_EQ(blink_record("students", student_id)["date_of_birth"], "05/06/2013");
  EXPECT_NE(database().scalar("SELECT to_char(birth_date, 'MM/DD/YYYY') FROM roster.pupils WHERE id = 7"),
            "05/06/2013");
  EXPECT_EQ(synced_field("student", "7", "date_of_birth"), synced_birth_date)
      << "the roster's value would be sent next";
  EXPECT_NE(log_text().find("write_back.students.changed_in_blink does not bind :date_of_birth,"),
            std::string::npos)
      << log_text();
}

// A clinician's phone, owned by Blink, reaches the roster through the
// reference changed_in_blink statement, while a first name edited in Blink
// in the same record is drift: put back in Blink and not copied.
TEST_F(BlinkEdits, BlinkOwnedEditWrittenByStatement) {
  prepare_with("  field_owners:\n    staff:\n      phone: blink\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto staff_id = blink_id("staff", "2");
  const auto first_name = database().scalar("SELECT given_name FROM roster.clinicians WHERE id = 2");
  blink_api("PUT", "/staff/" + std::to_string(staff_id), {{"phone", "314-555-0177"}, {"first_name", "Drifted"}});

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(database().scalar("SELECT phone FROM roster.clinicians WHERE id = 2"), "314-555-0177");
  EXPECT_EQ(database().scalar("SELECT given_name FROM roster.clinicians WHERE id = 2"), first_name);
  EXPECT_EQ(blink_record("staff", staff_id)["first_name"], first_name);
  EXPECT_EQ(blink_record("staff", staff_id)["phone"], "314-555-0177");
  EXPECT_EQ(synced_field("staff", "2", "phone"), "314-555-0177");
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(database().scalar("SELECT phone FROM roster.clinicians WHERE id = 2"), "314-555-0177");
}

// --resync compares with Blink's values, but still names a Blink edit of a
// roster-owned field as drift.
TEST_F(BlinkEdits, ResyncNamesDrift) {
  prepare_with("");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto student_id = blink_id("student", "7");
  blink_api("PUT", "/students/" + std::to_string(student_id), {{"first_name", "Edited"}});

  const auto result = run_sync({"--resync"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(blink_record("students", student_id)["first_name"],
            database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"));
  EXPECT_NE(log_text().find("mode=resync"), std::string::npos) << log_text();
  EXPECT_NE(log_text().find("drift=1"), std::string::npos) << log_text();
}

TEST_F(BlinkEdits, BlinkOwnedEditReachesRoster) {
  prepare_with("  field_owners:\n    staff:\n      phone: blink\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto staff_id = blink_id("staff", "2");
  blink_api("PUT", "/staff/" + std::to_string(staff_id), {{"phone", "314-555-0177"}});

  const auto report = run_cycle_with_hook(roster_write_back());

  EXPECT_EQ(report.outcome, RunOutcome::succeeded) << report.message;
  EXPECT_EQ(report.totals.done.pulled, 1U);
  EXPECT_EQ(database().scalar("SELECT phone FROM roster.clinicians WHERE id = 2"), "314-555-0177");
  EXPECT_EQ(synced_field("staff", "2", "phone"), "314-555-0177");
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
}

TEST_F(BlinkEdits, FailedWriteBackKeepsSyncedCopy) {
  prepare_with("  field_owners:\n    staff:\n      phone: blink\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto staff_id = blink_id("staff", "2");
  blink_api("PUT", "/staff/" + std::to_string(staff_id), {{"phone", "314-555-0177"}});
  const auto failing = [](pqxx::work&, Entity entity, const std::string& local_id, std::int64_t blink_id,
                          const FieldValues&) -> std::optional<RecordError> {
    return RecordError{entity, local_id, blink_id, 0, "the test write-back failed"};
  };

  const auto before = blink_stats();
  const auto report = run_cycle_with_hook(failing);

  EXPECT_EQ(report.outcome, RunOutcome::succeeded_with_errors) << report.message;
  EXPECT_EQ(report.totals.done.pulled, 0U);
  EXPECT_EQ(synced_field("staff", "2", "phone"), "314-555-0124");
  EXPECT_EQ(database().scalar("SELECT phone FROM roster.clinicians WHERE id = 2"), "314-555-0124");
  EXPECT_EQ(database().scalar("SELECT message FROM blink_sync.record_errors WHERE local_id = '2'"),
            "the test write-back failed");
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(blink_record("staff", staff_id)["phone"], "314-555-0177");
}

// ---- Conflicts ----

class BlinkConflicts : public BlinkEdits {
 protected:
  // Syncs, then changes pupil 7's first name in the roster and in Blink.
  long long edit_both_sides(const std::string& policy) {
    prepare_with("  conflict_policy: " + policy + "\n");
    EXPECT_EQ(run_sync().exit_code, 0);
    const auto student_id = blink_id("student", "7");
    database().execute("UPDATE roster.pupils SET given_name = 'FromRoster' WHERE id = 7");
    blink_api("PUT", "/students/" + std::to_string(student_id), {{"first_name", "FromBlink"}});
    return student_id;
  }

  void expect_one_row(const std::string& policy, const std::string& outcome) {
    EXPECT_EQ(conflict_count(), "1");
    EXPECT_EQ(database().scalar("SELECT entity || '|' || local_id || '|' || field || '|' || roster_value || '|' || "
                                "blink_value || '|' || base_value || '|' || policy || '|' || outcome "
                                "FROM blink_sync.conflicts"),
              "student|7|first_name|FromRoster|FromBlink|Garland|" + policy + "|" + outcome);
  }
};

TEST_F(BlinkConflicts, RosterWinsSendsRosterValue) {
  const auto student_id = edit_both_sides("roster_wins");

  ASSERT_EQ(run_sync().exit_code, 0);

  expect_one_row("roster_wins", "roster_value_sent");
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromRoster");
  EXPECT_EQ(database().scalar("SELECT resolved_at IS NOT NULL FROM blink_sync.conflicts"), "t");
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(conflict_count(), "1") << "recorded again on the next cycle";
}

TEST_F(BlinkConflicts, BlinkWinsPullsBlinkValue) {
  const auto student_id = edit_both_sides("blink_wins");

  const auto report = run_cycle_with_hook(roster_write_back());

  EXPECT_EQ(report.outcome, RunOutcome::succeeded) << report.message;
  expect_one_row("blink_wins", "blink_value_pulled");
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
  EXPECT_EQ(database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"), "FromBlink");
  EXPECT_EQ(database().scalar("SELECT resolved_at IS NOT NULL FROM blink_sync.conflicts"), "t");
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(conflict_count(), "1") << "recorded again on the next cycle";
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
}

TEST_F(BlinkConflicts, ReportChangesNeither) {
  const auto student_id = edit_both_sides("report");

  ASSERT_EQ(run_sync().exit_code, 0);

  expect_one_row("report", "reported");
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
  EXPECT_EQ(database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"), "FromRoster");
  EXPECT_EQ(database().scalar("SELECT resolved_at IS NULL FROM blink_sync.conflicts"), "t");
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(conflict_count(), "1") << "recorded again on the next cycle";
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
  const auto status = run_sync({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("entity=student local_id=7 blink_id=" + std::to_string(student_id) +
                            " field=first_name policy=report since="),
            std::string::npos)
      << status.out;
  EXPECT_EQ(status.out.find("FromBlink"), std::string::npos) << "status printed a value";
}

// The reference students' changed_in_blink writes a pulled first name.
TEST_F(BlinkConflicts, BlinkWinsWrittenByStatement) {
  const auto student_id = edit_both_sides("blink_wins");

  ASSERT_EQ(run_sync().exit_code, 0);
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);

  expect_one_row("blink_wins", "blink_value_pulled");
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
  EXPECT_EQ(database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"), "FromBlink");
  EXPECT_EQ(database().scalar("SELECT resolved_at IS NOT NULL FROM blink_sync.conflicts"), "t");
}

// It binds no birth date, so Blink cannot win there: the conflict is
// reported and neither value changes.
TEST_F(BlinkConflicts, BlinkWinsReportedWithoutColumn) {
  prepare_with("  conflict_policy: blink_wins\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto student_id = blink_id("student", "7");
  database().execute("UPDATE roster.pupils SET birth_date = '2013-03-04' WHERE id = 7");
  blink_api("PUT", "/students/" + std::to_string(student_id), {{"date_of_birth", "05/06/2013"}});

  ASSERT_EQ(run_sync().exit_code, 0);
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(conflict_count(), "1");
  EXPECT_EQ(database().scalar("SELECT field || '|' || policy || '|' || outcome || '|' || (resolved_at IS NULL) "
                              "FROM blink_sync.conflicts"),
            "date_of_birth|report|reported|true");
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(blink_record("students", student_id)["date_of_birth"], "05/06/2013");
  EXPECT_EQ(database().scalar("SELECT birth_date::text FROM roster.pupils WHERE id = 7"), "2013-03-04");
}

TEST_F(BlinkConflicts, ReportHeldThroughResync) {
  const auto student_id = edit_both_sides("report");
  ASSERT_EQ(run_sync().exit_code, 0);

  const auto result = run_sync({"--resync"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
  EXPECT_EQ(database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"), "FromRoster");
  expect_one_row("report", "reported");
  EXPECT_EQ(database().scalar("SELECT resolved_at IS NULL FROM blink_sync.conflicts"), "t");
}

TEST_F(BlinkConflicts, ResyncReportsNewConflict) {
  const auto student_id = edit_both_sides("report");

  const auto result = run_sync({"--resync"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
  expect_one_row("report", "reported");
  EXPECT_EQ(database().scalar("SELECT resolved_at IS NULL FROM blink_sync.conflicts"), "t");
}

TEST_F(BlinkConflicts, ReportClosedOnceSidesAgree) {
  const auto student_id = edit_both_sides("report");
  ASSERT_EQ(run_sync().exit_code, 0);

  database().execute("UPDATE roster.pupils SET given_name = 'FromBlink' WHERE id = 7");
  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(database().scalar("SELECT resolved_at IS NOT NULL FROM blink_sync.conflicts"), "t");
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(synced_field("student", "7", "first_name"), "FromBlink");
  EXPECT_EQ(blink_record("students", student_id)["first_name"], "FromBlink");
}

// ---- Records that exist only in Blink ----

TEST_F(BlinkEdits, BlinkOnlyIgnoredByDefault) {
  prepare_with("");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto only_id = create_blink_only_student();

  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_FALSE(blink_record("students", only_id).is_null());
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.blink_only_records"), "0");
}

TEST_F(BlinkEdits, BlinkOnlyImportedOncePerChange) {
  prepare_with(
      "  blink_only:\n    students:\n      policy: import\n      import_statement: >-\n"
      "        INSERT INTO roster.blink_students (blink_id, first_name, born) VALUES (:blink_id, :first_name,\n"
      "        to_date(:date_of_birth, 'MM/DD/YYYY'))\n");
  database().execute("CREATE TABLE roster.blink_students (blink_id bigint, first_name text, born date)");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto only_id = create_blink_only_student();

  ASSERT_EQ(run_sync().exit_code, 0);
  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(database().scalar("SELECT blink_id || '|' || (fields->>'first_name') FROM blink_sync.blink_only_records "
                              "WHERE entity = 'student'"),
            std::to_string(only_id) + "|Only");
  EXPECT_EQ(database().scalar("SELECT count(*) || '|' || max(first_name) || '|' || max(born) "
                              "FROM roster.blink_students"),
            "1|Only|2012-01-02");
  EXPECT_FALSE(blink_record("students", only_id).is_null());

  blink_api("PUT", "/students/" + std::to_string(only_id), {{"first_name", "Renamed"}});
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM roster.blink_students"), "2");
  EXPECT_EQ(database().scalar("SELECT fields->>'first_name' FROM blink_sync.blink_only_records"), "Renamed");
}

TEST_F(BlinkEdits, FailedImportStatementRetried) {
  prepare_with(
      "  blink_only:\n    students:\n      policy: import\n"
      "      import_statement: \"INSERT INTO roster.not_yet_created (blink_id) VALUES (:blink_id)\"\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  create_blink_only_student();

  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.blink_only_records"), "0");
  EXPECT_NE(database().scalar("SELECT message FROM blink_sync.record_errors ORDER BY id DESC LIMIT 1")
                .find("could not be imported"),
            std::string::npos);

  database().execute("CREATE TABLE roster.not_yet_created (blink_id bigint)");
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM roster.not_yet_created"), "1");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.blink_only_records"), "1");
}

TEST_F(BlinkEdits, CheckConfigPreparesImportStatement) {
  prepare_with(
      "  blink_only:\n    students:\n      policy: import\n"
      "      import_statement: \"INSERT INTO roster.not_yet_created (blink_id) VALUES (:blink_id)\"\n");

  const auto result = run_sync({"check-config"});

  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("sync.blink_only.students.import_statement: the statement is invalid"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("not_yet_created"), std::string::npos) << result.err;

  database().execute("CREATE TABLE roster.not_yet_created (blink_id bigint)");
  const auto fixed = run_sync({"check-config"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("sync.blink_only.students.import_statement: the statement is valid"), std::string::npos)
      << fixed.out;
}

TEST_F(BlinkEdits, BlinkOnlyDeleted) {
  prepare_with("  blink_only:\n    students: delete\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto only_id = create_blink_only_student();
  const auto students = blink_state()["students"].size();

  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_TRUE(blink_record("students", only_id).is_null());
  EXPECT_EQ(blink_state()["students"].size(), students - 1);
}

TEST_F(BlinkEdits, BlinkOnlyDeletionsHeldByGuard) {
  prepare_with("  blink_only:\n    students: delete\n");
  ASSERT_EQ(run_sync().exit_code, 0);
  std::vector<long long> created;
  for (int i = 0; i < 8; ++i) {
    created.push_back(blink_api("POST", "/students",
                                {{"first_name", "Only" + std::to_string(i)},
                                 {"last_name", "InBlink"},
                                 {"date_of_birth", "01/02/2012"},
                                 {"student_timezone", "America/New_York"}})["data"]["id"]
                          .get<long long>());
  }

  ASSERT_EQ(run_sync().exit_code, 0);

  for (const auto id : created) {
    EXPECT_FALSE(blink_record("students", id).is_null()) << id;
  }
  EXPECT_NE(log_text().find("held=8 planned=8 student=8/58"), std::string::npos) << log_text();
}

TEST_F(BlinkEdits, BlinkOnlyLinksSurviveFullSetReplay) {
  prepare_with("");
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto only_id = create_blink_only_student();
  const auto staff_id = blink_id("staff", "1");
  auto links = id_set(blink_record("staff", staff_id)["linked_student_ids"]);
  links.insert(only_id);
  blink_api("PUT", "/staff/" + std::to_string(staff_id), {{"linked_student_ids", links}});
  const auto added_pupil = database().scalar(
      "SELECT min(p.id) FROM roster.pupils p WHERE p.left_on IS NULL AND p.id NOT IN "
      "(SELECT pupil_id FROM roster.caseload WHERE clinician_id = 1)");
  database().execute("INSERT INTO roster.caseload (clinician_id, pupil_id) VALUES (1, " + added_pupil + ")");

  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(count_between(before, blink_stats(), "PUT", "staff"), 1) << "the full set was not sent";
  const auto sent = id_set(blink_record("staff", staff_id)["linked_student_ids"]);
  EXPECT_EQ(sent.count(only_id), 1U) << "the link to the Blink-only student was dropped";
  EXPECT_EQ(sent.count(blink_id("student", added_pupil)), 1U);
}

}  // namespace
}  // namespace blink_sync::testing
