// Exactly-once creates: lost responses, a daemon killed at every step and at
// random, a second instance, PostgreSQL restarted mid-cycle, and an
// organisation that already has the roster's people. Every test ends by
// checking that Blink has exactly one record per roster record, with the
// right links, and that Blink charged for exactly one creation per staff
// member.

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <csignal>
#include <filesystem>

#include <stdlib.h>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return text;
}

// Blink's records reduced to what must match the roster, independent of the
// ids Blink gave them: student keys, and for each student-login and staff
// email the keys of its linked students.
struct Canonical {
  std::vector<std::string> students;
  std::map<std::string, std::vector<std::string>> student_logins;
  std::map<std::string, std::vector<std::string>> staff;
  std::vector<std::string> duplicates;

  bool operator==(const Canonical&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Canonical& state) {
  out << state.students.size() << " students, " << state.student_logins.size() << " student-logins, "
      << state.staff.size() << " staff";
  for (const auto& duplicate : state.duplicates) {
    out << "; duplicate " << duplicate;
  }
  return out;
}

std::string student_key(const json& student) {
  return lower(student["first_name"].get<std::string>()) + "|" + lower(student["last_name"].get<std::string>()) +
         "|" + student["date_of_birth"].get<std::string>();
}

Canonical canonical(const json& state) {
  Canonical result;
  std::map<long long, std::string> key_of_id;
  for (const auto& student : state["students"]) {
    const auto key = student_key(student);
    key_of_id[student["id"].get<long long>()] = key;
    result.students.push_back(key);
  }
  std::sort(result.students.begin(), result.students.end());
  for (std::size_t i = 1; i < result.students.size(); ++i) {
    if (result.students[i] == result.students[i - 1]) {
      result.duplicates.push_back("student " + result.students[i]);
    }
  }

  const auto users = [&](const json& list, std::map<std::string, std::vector<std::string>>& into, const char* kind) {
    for (const auto& user : list) {
      std::vector<std::string> linked;
      for (const auto& id : user["linked_student_ids"]) {
        linked.push_back(key_of_id[id.get<long long>()]);
      }
      std::sort(linked.begin(), linked.end());
      const auto email = lower(user["email"].get<std::string>());
      if (!into.emplace(email, std::move(linked)).second) {
        result.duplicates.push_back(std::string(kind) + " " + email);
      }
    }
  };
  users(state["student_logins"], result.student_logins, "student-login");
  users(state["staff"], result.staff, "staff");
  return result;
}

long long number(const json& object, const std::string& key) {
  const auto found = object.find(key);
  return found == object.end() || !found->is_number() ? 0 : found->get<long long>();
}

// How one run of blink-sync --once ended.
struct RunEnd {
  int exit_code = -1;
  bool killed = false;  // killed with SIGKILL while a response was held
  std::string err;
};

class ExactlyOnce : public SyncFixture {
 protected:
  void SetUp() override { prepare(setup()); }

  // Starts a daemon whose first create the server never answers, and waits
  // up to 60 s for that create to arrive, so the daemon holds the lock.
  std::unique_ptr<ChildProcess> start_daemon_held_at_first_create() {
    control().add_faults(json{{"method", "POST"}, {"action", "hang"}});
    auto daemon = start_sync({});
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (number(blink_stats(), "hung") == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    return daemon;
  }

  static SyncSetup setup() {
    SyncSetup setup;
    setup.server_rate_limit = 60000;
    setup.requests_per_minute = 60000;
    setup.request_timeout_seconds = 1;
    setup.extra_sync_yaml = "  in_doubt_settle_seconds: 0\n";
    return setup;
  }

  // Keeps five pupils, their guardians and two clinicians of the demo roster.
  void use_small_roster() {
    database().execute(
        "DELETE FROM roster.pupils WHERE id > 5;"
        "DELETE FROM roster.clinicians WHERE id > 2;"
        "DELETE FROM roster.guardians g WHERE NOT EXISTS "
        "(SELECT 1 FROM roster.guardian_pupils gp WHERE gp.guardian_id = g.id)");
  }

  // Empties Blink, its counters and faults, and the daemon's own tables.
  void reset_everything() {
    control().reset();
    if (database().scalar("SELECT to_regclass('blink_sync.intents') IS NOT NULL") == "t") {
      database().execute(
          "TRUNCATE blink_sync.mapping, blink_sync.intents, blink_sync.record_errors, blink_sync.runs CASCADE");
    }
  }

  // Syncs the roster into an empty organisation without faults and returns
  // what Blink then contains: the state every faulty run must end in.
  Canonical fault_free_result() {
    reset_everything();
    const auto result = run_sync();
    EXPECT_EQ(result.exit_code, 0) << result.err;
    auto expected = canonical(blink_state());
    EXPECT_TRUE(expected.duplicates.empty());
    clean_run_requests_ = number(blink_stats(), "requests_total");
    reset_everything();
    return expected;
  }

  // Runs blink-sync --once and kills it with SIGKILL as soon as the server
  // keeps a response back (a hang fault): the request was applied, and its
  // outcome never reaches the journal.
  RunEnd run_once_killing_on_hang() {
    const auto hung_before = number(blink_stats(), "hung");
    auto process = start_sync({"--once"});
    RunEnd end;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (!process->output_ended_within(20ms)) {
      if (number(blink_stats(), "hung") > hung_before || std::chrono::steady_clock::now() > deadline) {
        process->send_signal(SIGKILL);
        end.killed = true;
        break;
      }
    }
    const auto result = process->wait(30s);
    end.exit_code = result.exit_code;
    end.err = result.err;
    return end;
  }

  // Disarms every fault and runs until a cycle succeeds without writing.
  // A run right after a kill may find the lock not yet released (exit 75).
  void converge() {
    control().clear_faults();
    for (int attempt = 0; attempt < 8; ++attempt) {
      const auto before = blink_stats();
      const auto result = run_sync();
      if (result.exit_code == 75) {
        std::this_thread::sleep_for(50ms);
        continue;
      }
      const bool quiet = writes_between(before, blink_stats()) == 0;
      if (result.exit_code == 0 && quiet) {
        return;
      }
    }
    ADD_FAILURE() << "no quiet cycle after 8 runs without faults; log:\n" << log_text();
  }

  // Checks that Blink contains what a fault-free sync produces, each record
  // created once, and that the mapping contains every id Blink has.
  void expect_exactly_once(const Canonical& expected) {
    const auto state = blink_state();
    const auto actual = canonical(state);
    EXPECT_TRUE(actual.duplicates.empty()) << actual;
    EXPECT_EQ(actual, expected) << "Blink contains " << actual << "; a fault-free sync gives " << expected;

    const auto created = blink_stats()["created"];
    EXPECT_EQ(number(created, "staff"), static_cast<long long>(expected.staff.size()))
        << "staff creations, each charged to the organisation's card";
    EXPECT_EQ(number(created, "students"), static_cast<long long>(expected.students.size()));
    EXPECT_EQ(number(created, "student-logins"), static_cast<long long>(expected.student_logins.size()));

    for (const auto& [entity, list] : {std::pair{"student", "students"}, std::pair{"student_login", "student_logins"},
                                       std::pair{"staff", "staff"}}) {
      std::vector<std::string> ids;
      for (const auto& record : state[list]) {
        ids.push_back(std::to_string(record["id"].get<long long>()));
      }
      std::sort(ids.begin(), ids.end());
      std::string blink_ids;
      for (const auto& id : ids) {
        blink_ids += (blink_ids.empty() ? "" : ",") + id;
      }
      EXPECT_EQ(database().scalar("SELECT COALESCE(string_agg(blink_id::text, ',' ORDER BY blink_id::text), '') "
                                  "FROM blink_sync.mapping WHERE entity = '" + std::string(entity) + "'"),
                blink_ids)
          << entity << ": the mapping must hold exactly the ids Blink has";
    }
    EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome IS NULL"), "0")
        << "every intent is settled after convergence";
  }

  long long clean_run_requests_ = 0;
};

TEST_F(ExactlyOnce, LostCreateResponseIsFoundByLookup) {
  const auto expected = fault_free_result();
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/staff"}, {"action", "drop_after_apply"}});

  const auto first = run_sync();

  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(number(blink_stats()["by_endpoint"], "POST staff"), 8) << "the lost create is not sent again";
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome = 'found'"), "1");
  converge();
  expect_exactly_once(expected);
}

TEST_F(ExactlyOnce, ServerErrorCreateSentNextCycle) {
  const auto expected = fault_free_result();
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/staff"}, {"action", "error500"}});

  const auto first = run_sync();

  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome = 'not_applied'"), "1");
  EXPECT_EQ(blink_state()["staff"].size(), 7U);
  converge();
  expect_exactly_once(expected);
}

// Three server errors in a row stop the cycle, but only after the last
// one's outcome is journaled, so no record is left in doubt.
TEST_F(ExactlyOnce, ServerErrorsStopCycleWithoutDoubt) {
  const auto expected = fault_free_result();
  control().add_faults(json{{"method", "POST"}, {"action", "error500"}, {"count", 3}});

  const auto first = run_sync();

  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_NE(first.err.find("failed 3 requests in a row with no response or a server error"), std::string::npos)
      << first.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome IS NULL"), "0");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome = 'not_applied'"), "3");
  converge();
  expect_exactly_once(expected);
}

TEST_F(ExactlyOnce, UnansweredCreateWaitsToSettle) {
  SyncSetup waiting = setup();
  waiting.extra_sync_yaml = "  in_doubt_settle_seconds: 3600\n";
  prepare(waiting);
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/staff"}, {"action", "drop_before_apply"}});
  ASSERT_EQ(run_sync().exit_code, 0);
  const auto before = blink_stats();

  const auto second = run_sync();

  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(count_between(before, blink_stats(), "POST"), 0) << "the unanswered create is held, not sent again";
  EXPECT_NE(second.err.find("not created again yet: an earlier create got no response"), std::string::npos)
      << second.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome IS NULL"), "1");
  EXPECT_EQ(blink_state()["staff"].size(), 7U);
}

// A daemon killed between journaling a create and sending it leaves an open
// intent without a note. The create is held, and the message names the stop.
TEST_F(ExactlyOnce, CreateCutShortByStopIsHeld) {
  SyncSetup waiting = setup();
  waiting.extra_sync_yaml = "  in_doubt_settle_seconds: 3600\n";
  prepare(waiting);
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute(
      "INSERT INTO roster.clinicians (id, given_name, family_name, email, phone, time_zone) "
      "VALUES (100, 'Added', 'Later', 'added.later@example.com', '555-0100', 'America/Denver');"
      "INSERT INTO blink_sync.intents (entity, local_id, operation, natural_key) "
      "VALUES ('staff', '100', 'create', 'added.later@example.com')");
  const auto before = blink_stats();

  const auto second = run_sync();

  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(count_between(before, blink_stats(), "POST"), 0) << "the cut-short create is held, not sent";
  EXPECT_NE(second.err.find("entity=staff local_id=100"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("the daemon stopped before the outcome of an earlier create was recorded"),
            std::string::npos)
      << second.err;
  EXPECT_NE(second.err.find("no duplicate is made"), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("got no response"), std::string::npos) << second.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome IS NULL"), "1");
}

// Someone adds a clinician in the Blink web app while the cycle runs: the
// POST gets Blink's duplicate 406, and the daemon looks the record up and
// maps it instead of failing every cycle.
TEST_F(ExactlyOnce, DuplicateRejectionLeadsToAdoption) {
  SyncSetup patient = setup();
  patient.request_timeout_seconds = 30;  // the delay below is a window for the test, not a timeout
  prepare(patient);
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/students"}, {"action", "delay"},
                            {"delay_ms", 3000}});
  auto process = start_sync({"--once"});
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (number(blink_stats(), "delayed") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  const auto clinician = json::parse(database().scalar(
      "SELECT json_build_object('first_name', given_name, 'last_name', family_name, 'display_name', given_name, "
      "'email', email, 'phone', '555-0100', 'user_timezone', 'America/Denver') FROM roster.clinicians WHERE id = 1"));
  const auto seeded = control().seed(json{{"staff", json::array({clinician})}});

  const auto result = process->wait(120s);

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(number(blink_stats()["by_status"], "406"), 1) << "one duplicate rejection, no retry loop";
  EXPECT_EQ(number(blink_stats()["created"], "staff"), 7);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'staff'"), "8");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.intents WHERE outcome = 'found' AND http_status = 406"),
            "1")
      << seeded.dump();
  EXPECT_EQ(blink_state()["staff"].size(), 8U);
}

TEST_F(ExactlyOnce, CrashAtEveryStepCreatesEachRecordOnce) {
  use_small_roster();
  const auto expected = fault_free_result();
  ASSERT_GT(clean_run_requests_, 5);

  for (long long step = 1; step <= clean_run_requests_; ++step) {
    SCOPED_TRACE("killed while request " + std::to_string(step) + " of " + std::to_string(clean_run_requests_) +
                 " was in flight");
    reset_everything();
    control().add_faults(json{{"action", "hang"}, {"skip", step - 1}});

    const auto end = run_once_killing_on_hang();

    EXPECT_TRUE(end.killed) << end.err;
    converge();
    expect_exactly_once(expected);
    if (HasFailure()) {
      break;
    }
  }
}

TEST_F(ExactlyOnce, SecondInstanceExitsOrWaits) {
  auto first = start_daemon_held_at_first_create();
  ASSERT_EQ(number(blink_stats(), "hung"), 1) << "the first instance never reached its first create";

  const auto once = run_sync();
  EXPECT_EQ(once.exit_code, 75) << once.err;
  EXPECT_NE(once.err.find("another blink-sync instance is syncing this Blink organisation"), std::string::npos)
      << once.err;
  EXPECT_NE(once.err.find("blink-sync daemon pid="), std::string::npos) << "the holder is named: " << once.err;

  auto second = start_sync({});
  EXPECT_TRUE(second->wait_for_stderr("waiting for it to stop", 30s));
  first->send_signal(SIGKILL);
  first->wait(30s);
  EXPECT_TRUE(second->wait_for_stderr("this one now syncs the organisation", 60s));
  EXPECT_TRUE(second->wait_for_stderr("cycle: finished", 60s));
  second->send_signal(SIGTERM);
  EXPECT_EQ(second->wait(60s).exit_code, 0);

  const auto state = canonical(blink_state());
  EXPECT_TRUE(state.duplicates.empty()) << state;
  EXPECT_EQ(number(blink_stats()["created"], "staff"), 8);
}

// The lock belongs to the database, not to the token, so a new token
// written while the daemon runs does not let a second writer in.
TEST_F(ExactlyOnce, RotatedTokenStillLocked) {
  auto first = start_daemon_held_at_first_create();
  ASSERT_EQ(number(blink_stats(), "hung"), 1) << "the first instance never reached its first create";

  write_token_file("a-rotated-token-0123456789abcdef");
  const auto once = run_sync();

  EXPECT_EQ(once.exit_code, 75) << once.err;
  first->send_signal(SIGKILL);
  first->wait(30s);
}

TEST_F(ExactlyOnce, PrefilledOrganisationIsAdopted) {
  // Two clinicians and three pupils already in Blink, some fields
  // different; pupil 2 twice, spelled with and without its accent.
  control().seed(json{
      {"students",
       {{{"first_name", "Horace"}, {"last_name", "Zulauf"}, {"date_of_birth", "04/11/2014"},
         {"student_timezone", "America/Denver"}, {"notes", "Entered by hand"}},
        {{"first_name", "BRANDON"}, {"last_name", "Hagenes"}, {"date_of_birth", "10/14/2010"},
         {"student_timezone", "America/Los_Angeles"}},
        {{"first_name", "Timoteo"}, {"last_name", "Castañeda"}, {"date_of_birth", "03/06/1997"},
         {"student_timezone", "America/New_York"}},
        {{"first_name", "Timoteo"}, {"last_name", "Castaneda"}, {"date_of_birth", "03/06/1997"},
         {"student_timezone", "America/New_York"}}}},
  });
  const auto clinicians = json::parse(database().scalar(
      "SELECT json_agg(json_build_object('first_name', given_name, 'last_name', 'Old name', 'email', upper(email), "
      "'display_name', given_name || ' Old name', 'phone', '555-0100', 'user_timezone', 'America/Denver') "
      "ORDER BY id) FROM roster.clinicians WHERE id <= 2"));
  control().seed(json{{"staff", clinicians}});
  const auto ambiguous = blink_state()["students"];

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto stats = blink_stats();
  EXPECT_EQ(number(stats["created"], "staff"), 6) << "the two clinicians in Blink are adopted, not created";
  EXPECT_EQ(database().scalar("SELECT adopted FROM blink_sync.runs WHERE id = 1"), "4");
  EXPECT_NE(result.err.find("several Blink records match"), std::string::npos) << result.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'student' AND local_id = '2'"),
            "0")
      << "an ambiguous match is never guessed";
  EXPECT_NE(database().scalar("SELECT string_agg(message, ' ') FROM blink_sync.record_errors WHERE local_id = '2' "
                              "AND entity = 'student'")
                .find(std::to_string(ambiguous[3]["id"].get<long long>())),
            std::string::npos)
      << "the error lists the candidate Blink ids";

  const auto state = blink_state();
  for (const auto& staff : state["staff"]) {
    EXPECT_NE(staff["last_name"], "Old name") << "adopted staff are updated to the roster's values";
  }
  const auto horace = std::find_if(state["students"].begin(), state["students"].end(),
                                   [](const json& student) { return student["first_name"] == "Horace"; });
  ASSERT_NE(horace, state["students"].end());
  EXPECT_EQ(std::to_string((*horace)["id"].get<long long>()),
            database().scalar("SELECT blink_id FROM blink_sync.mapping WHERE entity = 'student' AND local_id = '1'"));
}

// PostgreSQL restarts while a create is in flight: its outcome cannot be
// committed, so the daemon reconnects, settles it from Blink and goes on.
TEST_F(ExactlyOnce, PostgresRestartDuringCycle) {
  const auto cluster_script = std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/pg-cluster.sh";
  // Under /tmp: a unix socket path in the build tree would be too long.
  std::string temporary = "/tmp/blink-sync-test-pg.XXXXXX";
  ASSERT_NE(::mkdtemp(temporary.data()), nullptr);
  std::filesystem::permissions(temporary, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                              std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                              std::filesystem::perms::others_exec);
  const auto cluster_dir = std::filesystem::path(temporary) / "cluster";
  const auto started = run_process({cluster_script, "start", cluster_dir.string()}, {}, 120s);
  ASSERT_EQ(started.exit_code, 0) << started.err;
  auto url = started.out.substr(0, started.out.find_last_not_of("\n") + 1);
  url = url.substr(url.find_last_of('\n') + 1);
  const auto port = url.substr(url.rfind(':') + 1, url.rfind('/') - url.rfind(':') - 1);
  SyncSetup private_cluster = setup();
  private_cluster.cluster_admin_url = url;
  private_cluster.request_timeout_seconds = 2;
  prepare(private_cluster);
  const auto expected_staff = 8U;

  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/staff"}, {"action", "hang"}});
  auto daemon = start_sync({});
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (number(blink_stats(), "hung") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(number(blink_stats(), "hung"), 1);
  ASSERT_EQ(run_process({cluster_script, "stop", cluster_dir.string()}, {}, 60s).exit_code, 0);
  ASSERT_EQ(run_process({cluster_script, "start", cluster_dir.string(), port}, {}, 60s).exit_code, 0);

  ASSERT_TRUE(daemon->wait_for_stderr("reconnecting", 60s)) << log_text();
  EXPECT_TRUE(daemon->wait_for_stderr("is in Blink as blink_id=", 60s)) << "the in-doubt create is found";
  EXPECT_TRUE(daemon->wait_for_stderr("status=succeeded", 60s));
  daemon->send_signal(SIGTERM);
  const auto ended = daemon->wait(60s);
  EXPECT_EQ(ended.exit_code, 0) << ended.err;

  const auto state = canonical(blink_state());
  EXPECT_TRUE(state.duplicates.empty()) << state;
  EXPECT_EQ(state.staff.size(), expected_staff);
  EXPECT_EQ(number(blink_stats()["created"], "staff"), 8);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'staff'"), "8");
  run_process({cluster_script, "stop", cluster_dir.string()}, {}, 60s);
  std::filesystem::remove_all(temporary);
}

// Random faults over the demo roster, in shards that ctest runs side by
// side. Each run is seeded; set BLINK_SYNC_REPLAY_SEED to run one again.
class RandomFaults : public ExactlyOnce, public ::testing::WithParamInterface<int> {
 protected:
  static constexpr int kRunsPerShard = 50;
  static constexpr unsigned kBaseSeed = 20261204;

  // Arms one to eight faults at random requests of the run.
  void arm_random_faults(std::mt19937& random) {
    std::uniform_int_distribution<int> how_many(1, 8);
    std::discrete_distribution<int> action({30, 25, 10, 5, 20});
    std::discrete_distribution<int> method({50, 30, 10, 10});
    const std::array<const char*, 5> actions = {"error500", "drop_after_apply", "drop_before_apply", "delay", "hang"};
    const std::array<const char*, 4> methods = {"POST", "", "PUT", "GET"};

    json rules = json::array();
    for (int count = how_many(random); count > 0; --count) {
      const auto chosen_method = methods[static_cast<std::size_t>(method(random))];
      const int highest_skip = std::string(chosen_method) == "POST" || std::string(chosen_method).empty() ? 120 : 4;
      json rule = {{"action", actions[static_cast<std::size_t>(action(random))]},
                   {"method", chosen_method},
                   {"skip", std::uniform_int_distribution<int>(0, highest_skip)(random)}};
      if (rule["action"] == "delay") {
        rule["delay_ms"] = 1500;  // past the 1 s request timeout
      }
      rules.push_back(rule);
    }
    control().add_faults(rules);
  }

  // Runs with faults armed until they are used up or eight runs have passed.
  void run_with_faults() {
    for (int run = 0; run < 8; ++run) {
      const auto end = run_once_killing_on_hang();
      ++totals_.runs;
      totals_.kills += end.killed ? 1 : 0;
      if (control().get("/_control/faults").empty()) {
        break;
      }
    }
    const auto stats = blink_stats();
    totals_.errors500 += number(stats, "injected_500");
    totals_.dropped += number(stats, "dropped");
    totals_.delayed += number(stats, "delayed");
  }

  // What the faults did over a shard, printed so a run shows it tested
  // something.
  struct Totals {
    long long runs = 0;
    long long kills = 0;
    long long errors500 = 0;
    long long dropped = 0;
    long long delayed = 0;
  };
  Totals totals_;
};

TEST_P(RandomFaults, EveryRunConvergesWithoutDuplicates) {
  const auto expected = fault_free_result();
  std::vector<unsigned> seeds;
  if (const char* replay = std::getenv("BLINK_SYNC_REPLAY_SEED")) {
    if (GetParam() != 0) {
      GTEST_SKIP() << "replaying one seed in shard 0";
    }
    seeds.push_back(static_cast<unsigned>(std::stoul(replay)));
  } else {
    for (int run = 0; run < kRunsPerShard; ++run) {
      seeds.push_back(kBaseSeed + static_cast<unsigned>(GetParam() * 1000 + run));
    }
  }

  for (const auto seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed) + "; replay with BLINK_SYNC_REPLAY_SEED=" + std::to_string(seed));
    reset_everything();
    std::mt19937 random(seed);
    arm_random_faults(random);

    run_with_faults();
    converge();

    expect_exactly_once(expected);
    if (HasFailure()) {
      break;
    }
  }
  std::cout << "shard " << GetParam() << ": " << seeds.size() << " seeds, " << totals_.runs
            << " runs with faults, " << totals_.kills << " kills, " << totals_.errors500 << " injected 500s, "
            << totals_.dropped << " dropped connections, " << totals_.delayed << " responses delayed past the timeout"
            << std::endl;
}

INSTANTIATE_TEST_SUITE_P(Shards, RandomFaults, ::testing::Range(0, 4));

}  // namespace
}  // namespace blink_sync::testing
