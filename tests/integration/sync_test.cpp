// End-to-end tests: the real blink-sync executable against a real
// PostgreSQL holding the reference roster and the fake Blink server.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <csignal>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

// Returns Blink's students keyed by "first|last|dob".
std::map<std::string, json> students_by_key(const json& state) {
  std::map<std::string, json> students;
  for (const auto& student : state["students"]) {
    students[student["first_name"].get<std::string>() + "|" + student["last_name"].get<std::string>() + "|" +
             student["date_of_birth"].get<std::string>()] = student;
  }
  return students;
}

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

class Sync : public SyncFixture {
 protected:
  // Starts a daemon whose first sync takes over ten seconds: the server and
  // the config allow 600 requests a minute.
  std::unique_ptr<ChildProcess> start_slow_daemon() {
    SyncSetup setup;
    setup.server_rate_limit = 600;
    setup.requests_per_minute = 600;
    prepare(setup);
    return start_sync({});
  }

  // Returns the Blink id the mapping holds for a roster record.
  long long blink_id(const std::string& entity, const std::string& local_id) {
    return std::stoll(database().scalar("SELECT blink_id FROM blink_sync.mapping WHERE entity = '" + entity +
                                        "' AND local_id = '" + local_id + "'"));
  }

  // Returns the Blink ids the roster links a clinician to.
  std::set<long long> roster_links_of_clinician(const std::string& local_id) {
    const auto list = database().scalar(
        "SELECT string_agg(m.blink_id::text, ',') FROM roster.caseload c "
        "JOIN blink_sync.mapping m ON m.entity = 'student' AND m.local_id = c.pupil_id::text "
        "JOIN roster.pupils p ON p.id = c.pupil_id "
        "WHERE c.clinician_id = " + local_id +
        " AND (c.ended_on IS NULL OR c.ended_on > CURRENT_DATE) AND (p.left_on IS NULL OR p.left_on > CURRENT_DATE)");
    std::set<long long> ids;
    std::stringstream stream(list);
    std::string id;
    while (std::getline(stream, id, ',')) {
      ids.insert(std::stoll(id));
    }
    return ids;
  }
};

TEST_F(Sync, InitialSyncMatchesRoster) {
  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto state = blink_state();
  const auto roster_students = std::stoi(database().scalar(
      "SELECT count(*) FROM roster.pupils WHERE left_on IS NULL OR left_on > CURRENT_DATE"));
  EXPECT_EQ(static_cast<int>(state["students"].size()), roster_students);
  EXPECT_EQ(state["staff"].size(), 8U);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'student'"),
            std::to_string(roster_students));
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'student_login'"),
            std::to_string(state["student_logins"].size()));

  // Accented and apostrophe names arrive intact, with the date in MM/DD/YYYY.
  const auto students = students_by_key(state);
  const auto pupils = database().scalar(
      "SELECT string_agg(given_name || '|' || family_name || '|' || to_char(birth_date, 'MM/DD/YYYY'), E'\\n') "
      "FROM roster.pupils WHERE left_on IS NULL");
  std::stringstream lines(pupils);
  std::string key;
  while (std::getline(lines, key)) {
    EXPECT_EQ(students.count(key), 1U) << "missing in Blink: " << key;
  }

  // Every clinician's links are the roster's caseload.
  for (const auto& clinician : {"1", "2", "3", "4", "5", "6", "7", "8"}) {
    const auto* staff = find_by_id(state["staff"], blink_id("staff", clinician));
    ASSERT_NE(staff, nullptr);
    EXPECT_EQ(id_set((*staff)["linked_student_ids"]), roster_links_of_clinician(clinician)) << clinician;
  }

  const auto summary = log_text();
  EXPECT_NE(summary.find("cycle: finished cycle=1 mode=once"), std::string::npos) << summary;
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs WHERE id = 1").substr(0, 9), "succeeded");
}

TEST_F(Sync, UnchangedRosterMakesNoCalls) {
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto before = blink_stats();

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  EXPECT_EQ(blink_stats()["requests_total"], before["requests_total"]) << "Blink is not even read";
  EXPECT_EQ(database().scalar("SELECT api_calls FROM blink_sync.runs WHERE id = 2"), "0");
}

TEST_F(Sync, DueReconcileReadsBlinkWithoutWrites) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE blink_sync.read_marks SET full_read_at = full_read_at - interval '2 hours'");
  const auto before = blink_stats();

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto after = blink_stats();
  EXPECT_EQ(writes_between(before, after), 0);
  EXPECT_EQ(count_between(before, after, "GET"), 3) << "one page of each list";
}

TEST_F(Sync, IncrementalReadStopsAtTheMark) {
  SyncSetup setup;
  setup.page_size = 7;
  prepare(setup);
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET given_name = 'Zoë' WHERE id = 3");
  // Every record in Blink is now older than the mark, as after a long quiet spell.
  database().execute("UPDATE blink_sync.read_marks SET newest_updated = '2100-01-01 00:00:00'");
  const auto before = blink_stats();

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto after = blink_stats();
  EXPECT_EQ(count_between(before, after, "GET"), 1)
      << "one page of the students list, newest updated first; the other lists have nothing to send";
  EXPECT_EQ(writes_between(before, after), 1);
}

TEST_F(Sync, DeletionInBlinkForcesFullRead) {
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto deleted = blink_id("student", "4");
  blink_api("DELETE", "/students/" + std::to_string(deleted));
  database().execute("UPDATE roster.pupils SET given_name = 'Zoë' WHERE id = 3");

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  EXPECT_NE(result.err.find("reading it in full"), std::string::npos) << result.err;
  EXPECT_NE(blink_id("student", "4"), deleted) << "the deleted student is created again";
}

TEST_F(Sync, RecordAddedInBlinkKeepsReadIncremental) {
  ASSERT_EQ(run_sync().exit_code, 0);
  control().seed(json{{"students",
                       {{{"first_name", "Added"}, {"last_name", "By Hand"}, {"date_of_birth", "01/02/2015"},
                         {"student_timezone", "America/Denver"}}}}});
  database().execute("UPDATE roster.pupils SET given_name = 'Zoë' WHERE id = 3");

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  EXPECT_EQ(result.err.find("reading it in full"), std::string::npos) << result.err;
  EXPECT_EQ(database().scalar("SELECT known_total FROM blink_sync.read_marks WHERE entity = 'student'"),
            std::to_string(blink_state()["students"].size()));
}

TEST_F(Sync, NameChangeSendsOnePut) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET given_name = 'Zoë' WHERE id = 3");
  const auto before = blink_stats();

  ASSERT_EQ(run_sync().exit_code, 0);

  const auto after = blink_stats();
  EXPECT_EQ(writes_between(before, after), 1);
  EXPECT_EQ(count_between(before, after, "PUT", "students"), 1);
  const auto state = blink_state();
  const auto* student = find_by_id(state["students"], blink_id("student", "3"));
  ASSERT_NE(student, nullptr);
  EXPECT_EQ((*student)["first_name"], "Zoë");
}

TEST_F(Sync, RelinkSendsOnePutWithFullSet) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute(
      "DELETE FROM roster.caseload WHERE clinician_id = 2 AND pupil_id = "
      "(SELECT min(pupil_id) FROM roster.caseload WHERE clinician_id = 2);"
      "INSERT INTO roster.caseload (clinician_id, pupil_id) "
      "SELECT 2, min(id) FROM roster.pupils WHERE left_on IS NULL AND id NOT IN "
      "(SELECT pupil_id FROM roster.caseload WHERE clinician_id = 2)");
  const auto before = blink_stats();

  ASSERT_EQ(run_sync().exit_code, 0);

  const auto after = blink_stats();
  EXPECT_EQ(writes_between(before, after), 1);
  EXPECT_EQ(count_between(before, after, "PUT", "staff"), 1);
  const auto state = blink_state();
  const auto* staff = find_by_id(state["staff"], blink_id("staff", "2"));
  ASSERT_NE(staff, nullptr);
  EXPECT_EQ(id_set((*staff)["linked_student_ids"]), roster_links_of_clinician("2"));
}

TEST_F(Sync, RemovedStudentIsDischarged) {
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto student_id = blink_id("student", "5");
  database().execute("UPDATE roster.pupils SET left_on = CURRENT_DATE - 1 WHERE id = 5");
  const auto before = blink_stats();

  ASSERT_EQ(run_sync().exit_code, 0);

  const auto after = blink_stats();
  EXPECT_EQ(count_between(before, after, "DELETE"), 0);
  const auto state = blink_state();
  const auto* student = find_by_id(state["students"], student_id);
  ASSERT_NE(student, nullptr) << "a student who leaves is discharged, not deleted";
  EXPECT_EQ((*student)["discharged"], 1);
  for (const auto& staff : state["staff"]) {
    EXPECT_EQ(id_set(staff["linked_student_ids"]).count(student_id), 0U) << "still linked to a clinician";
  }
  EXPECT_EQ(database().scalar("SELECT synced_fields->>'discharged' FROM blink_sync.mapping "
                              "WHERE entity = 'student' AND local_id = '5'"),
            "1");
}

TEST_F(Sync, BadRowsRecordedRestSynced) {
  database().execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/tests/fixtures/roster-bad-rows.sql");

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  for (const auto& local_id : {"901", "902", "903"}) {
    EXPECT_NE(database().scalar("SELECT count(*) FROM blink_sync.record_errors WHERE entity = 'student' "
                                "AND local_id = '" + std::string(local_id) + "'"),
              "0")
        << "no error for bad student " << local_id;
  }
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'student' "
                              "AND local_id IN ('901', '902', '903')"),
            "0");
  const auto good_students = std::stoi(database().scalar(
      "SELECT count(*) FROM roster.pupils WHERE (left_on IS NULL OR left_on > CURRENT_DATE) AND id < 900"));
  EXPECT_EQ(static_cast<int>(blink_state()["students"].size()), good_students);
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs WHERE id = 1"), "succeeded_with_errors");
}

TEST_F(Sync, RejectionRecordedRestSynced) {
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/students"}, {"action", "reject406"},
                            {"message", "student_timezone must be a valid timezone"}, {"count", 1}});

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.record_errors WHERE http_status = 406 "
                              "AND message LIKE '%student_timezone must be a valid timezone%'"),
            "1");
  const auto rejected = database().scalar("SELECT local_id FROM blink_sync.record_errors WHERE http_status = 406");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'student' AND local_id = '" +
                              rejected + "'"),
            "0");
  const auto roster_students = std::stoi(database().scalar(
      "SELECT count(*) FROM roster.pupils WHERE left_on IS NULL OR left_on > CURRENT_DATE"));
  EXPECT_EQ(static_cast<int>(blink_state()["students"].size()), roster_students - 1);
  EXPECT_NE(result.err.find("status=406"), std::string::npos) << result.err;

  const auto retry = run_sync();
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(static_cast<int>(blink_state()["students"].size()), roster_students) << "the next cycle sends it again";
}

TEST_F(Sync, WrongTokenStopsAfterOneRequest) {
  SyncSetup setup;
  setup.token_override = "not-the-token";
  prepare(setup);

  const auto result = run_sync();

  EXPECT_EQ(result.exit_code, 1);
  const auto stats = blink_stats();
  EXPECT_EQ(stats["requests_total"], 1);
  EXPECT_EQ(stats["unauthorized"], 1);
  EXPECT_NE(result.err.find("HTTP 401"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("not-the-token"), std::string::npos) << "the token must never be logged";
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs WHERE id = 1"), "failed");
}

TEST_F(Sync, DryRunChangesNothing) {
  const auto result = run_sync({"--dry-run"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("create entity=student local_id="), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Totals: create="), std::string::npos) << result.out;
  const auto stats = blink_stats();
  EXPECT_EQ(writes_between(json::object(), stats), 0);
  EXPECT_EQ(database().scalar("SELECT to_regclass('blink_sync.mapping') IS NULL"), "t");
}

TEST_F(Sync, ResyncRestoresEditMadeInBlink) {
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto student_id = blink_id("student", "7");
  blink_api("PUT", "/students/" + std::to_string(student_id), {{"notes", "edited in Blink"}, {"first_name", "Edited"}});

  auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(writes_between(before, blink_stats()), 0) << "a normal cycle diffs the roster against the last sync";

  before = blink_stats();
  ASSERT_EQ(run_sync({"--resync"}).exit_code, 0);
  EXPECT_EQ(count_between(before, blink_stats(), "PUT", "students"), 1);
  const auto state = blink_state();
  const auto* student = find_by_id(state["students"], student_id);
  ASSERT_NE(student, nullptr);
  EXPECT_EQ((*student)["first_name"], database().scalar("SELECT given_name FROM roster.pupils WHERE id = 7"));
}

TEST_F(Sync, ServerErrorsOnReadsAreRetried) {
  control().add_faults(json{{"method", "GET"}, {"path_prefix", "/v1/students"}, {"action", "error500"},
                            {"count", 2}});

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(blink_stats()["injected_500"], 2);
  EXPECT_GT(blink_state()["students"].size(), 0U);
}

TEST_F(Sync, SmallPagesReadEveryRecord) {
  SyncSetup setup;
  setup.page_size = 7;
  setup.extra_sync_yaml = "  reconcile_interval_seconds: 0\n";  // read Blink every cycle
  prepare(setup);
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto before = blink_stats();

  ASSERT_EQ(run_sync().exit_code, 0);

  const auto after = blink_stats();
  EXPECT_EQ(writes_between(before, after), 0);
  const auto students = static_cast<long long>(blink_state()["students"].size());
  EXPECT_GE(count_between(before, after, "GET", "students"), (students + 6) / 7);
}

TEST_F(Sync, NoRequestDeniedAtTheLimit) {
  SyncSetup setup;
  setup.server_rate_limit = 600;
  setup.requests_per_minute = 600;
  prepare(setup);

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto stats = blink_stats();
  EXPECT_EQ(stats["rate_limited"], 0);
  EXPECT_LE(stats["max_in_window"].get<int>(), 600);
  EXPECT_GT(stats["requests_total"].get<int>(), 100);
}

TEST_F(Sync, SigtermFinishesRequestAndRecordsRun) {
  auto daemon = start_slow_daemon();
  ASSERT_TRUE(daemon->wait_for_stderr("service: ready", std::chrono::seconds(10)));

  std::this_thread::sleep_for(std::chrono::seconds(2));

  daemon->send_signal(SIGTERM);
  const auto result = daemon->wait(std::chrono::seconds(20));

  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs WHERE id = 1"), "interrupted");
  const auto state = blink_state();
  const auto created = state["students"].size() + state["student_logins"].size() + state["staff"].size();
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping"), std::to_string(created))
      << "every record created in Blink has its mapping";
}

TEST_F(Sync, KilledCycleCountsRecordedWrites) {
  auto daemon = start_slow_daemon();
  ASSERT_TRUE(daemon->wait_for_stderr("service: ready", std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  daemon->send_signal(SIGKILL);
  daemon->wait(std::chrono::seconds(20));

  // The next process closes the killed cycle's run row from its intents.
  ASSERT_EQ(run_sync().exit_code, 0);

  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs WHERE id = 1"), "interrupted");
  const auto created = database().scalar("SELECT created FROM blink_sync.runs WHERE id = 1");
  EXPECT_EQ(created, database().scalar("SELECT count(*) FROM blink_sync.intents WHERE run_id = 1 "
                                       "AND operation = 'create' AND outcome = 'applied'"));
  EXPECT_GT(std::stoi(created), 0) << "two seconds at ten requests a second create some records";
}

TEST_F(Sync, EmptyRosterQueryChangesNothing) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET left_on = CURRENT_DATE - 1");
  const auto before = blink_stats();

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(writes_between(before, blink_stats()), 0) << "no discharge and no unlinking on an empty query";
  const auto state = blink_state();
  for (const auto& staff : state["staff"]) {
    EXPECT_FALSE(staff["linked_student_ids"].empty()) << "staff " << staff["id"] << " lost its links";
  }
  EXPECT_NE(result.err.find("broken query"), std::string::npos) << result.err;
}

// The roster is read in a read-only transaction, so a configured query that
// tries to change the roster fails and changes nothing.
TEST_F(Sync, WritingRosterQueryRejected) {
  const auto config_path = work_dir() / "config.yaml";
  std::stringstream original;
  original << std::ifstream(config_path).rdbuf();
  const auto pupils = database().scalar("SELECT count(*) FROM roster.pupils");

  for (const std::string query : {"SELECT 1 AS local_id; DELETE FROM roster.pupils",
                                  "WITH gone AS (DELETE FROM roster.pupils RETURNING id) SELECT id AS local_id FROM gone",
                                  "SELECT 1 AS local_id; COMMIT; DELETE FROM roster.pupils"}) {
    auto config = original.str();
    const auto start = config.find("  students: |\n");
    const auto end = config.find("\n  student_logins:", start);
    ASSERT_NE(start, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    config.replace(start, end - start, "  students: \"" + query + "\"\n");
    std::ofstream(config_path) << config;

    const auto result = run_sync();

    EXPECT_EQ(result.exit_code, 1) << query << "\n" << result.err;
    EXPECT_NE(result.err.find("roster.students: the query failed"), std::string::npos) << result.err;
    EXPECT_EQ(database().scalar("SELECT count(*) FROM roster.pupils"), pupils) << query;
  }
  EXPECT_EQ(writes_between(json::object(), blink_stats()), 0);
}

TEST_F(Sync, UnreachableBlinkEndsCycleEarly) {
  control().add_faults(json{{"method", "POST"}, {"action", "drop_before_apply"}, {"count", 1000}});

  const auto result = run_sync();

  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(blink_stats()["by_method"]["POST"], 3) << "the cycle stops after three creates in a row get no response";
  EXPECT_NE(result.err.find("failed 3 requests in a row"), std::string::npos) << result.err;
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs WHERE id = 1"), "failed");
}

TEST_F(Sync, UsageErrorExitsTwo) {
  EXPECT_EQ(run_sync({"--onec"}).exit_code, 2);
  EXPECT_EQ(run_sync({"--once", "--resync"}).exit_code, 2);
  EXPECT_EQ(run_process({BLINK_SYNC_EXE, "--once"}).exit_code, 2);
  EXPECT_EQ(run_process({BLINK_SYNC_EXE, "--help"}).exit_code, 0);
}

TEST_F(Sync, DaemonWaitsForNewTokenAfter401) {
  SyncSetup setup;
  setup.token_override = "revoked-token";
  setup.poll_interval_seconds = 1;
  prepare(setup);
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("skipping this cycle because Blink rejected", std::chrono::seconds(10)));
  EXPECT_EQ(blink_stats()["unauthorized"], 1) << "a rejected token is not sent again";

  write_token_file(token());
  ASSERT_TRUE(daemon->wait_for_stderr("status=succeeded", std::chrono::seconds(20)));
  daemon->send_signal(SIGTERM);
  const auto result = daemon->wait(std::chrono::seconds(20));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(blink_stats()["unauthorized"], 1);
  EXPECT_EQ(result.err.find("revoked-token"), std::string::npos) << "the token must never be logged";
}

TEST_F(Sync, ResyncRebuildsEmptiedOrganisation) {
  SyncSetup setup;
  setup.extra_sync_yaml = "  reconcile_interval_seconds: 0\n";  // read Blink every cycle
  prepare(setup);
  ASSERT_EQ(run_sync().exit_code, 0);
  control().reset();  // an emptied organisation whose new records reuse the old ids

  const auto held_cycle = run_sync();
  ASSERT_EQ(held_cycle.exit_code, 0) << held_cycle.err;
  EXPECT_EQ(writes_between(json::object(), blink_stats()), 0) << "nothing is created again without --resync";
  EXPECT_NE(held_cycle.err.find("run blink-sync --resync"), std::string::npos) << held_cycle.err;

  const auto resync = run_sync({"--resync"});
  ASSERT_EQ(resync.exit_code, 0) << resync.err;
  const auto state = blink_state();
  EXPECT_EQ(state["staff"].size(), 8U);
  EXPECT_EQ(std::to_string(state["students"].size() + state["student_logins"].size() + state["staff"].size()),
            database().scalar("SELECT count(*) FROM blink_sync.mapping"));

  const auto before = blink_stats();
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
}

}  // namespace
}  // namespace blink_sync::testing
