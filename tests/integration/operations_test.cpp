// End-to-end tests of running blink-sync as a service: the removal guard,
// reload on SIGHUP, resync requests, systemd notifications and the logs.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

int discharged_students(const json& state) {
  int count = 0;
  for (const auto& student : state["students"]) {
    count += student["discharged"] == 1 ? 1 : 0;
  }
  return count;
}

// Returns how many links Blink's staff and student-logins have in all.
std::size_t link_count(const json& state) {
  std::size_t count = 0;
  for (const auto* list : {"staff", "student_logins"}) {
    for (const auto& record : state[list]) {
      count += record["linked_student_ids"].size();
    }
  }
  return count;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// A unix datagram socket that collects what the daemon sends to
// NOTIFY_SOCKET, as systemd would.
class NotifySocket {
 public:
  NotifySocket() {
    path_ = "/tmp/blink-sync-notify-" + std::to_string(::getpid()) + ".sock";
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path_.c_str());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    timeval timeout{0, 200000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifySocket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  const std::string& path() const { return path_; }

  // Reads messages until one contains `text` or `timeout` passes.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (received_.find(text) != std::string::npos) {
        return true;
      }
      char buffer[4096];
      const auto size = ::recv(fd_, buffer, sizeof buffer, 0);
      if (size > 0) {
        received_.append(buffer, static_cast<std::size_t>(size)).push_back('\n');
      }
    }
    return received_.find(text) != std::string::npos;
  }

  const std::string& received() const { return received_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string received_;
};

class Operations : public SyncFixture {};

TEST_F(Operations, MassDischargeHeldCreatesGoOn) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET left_on = CURRENT_DATE - 1 WHERE id BETWEEN 10 AND 29");
  database().execute(
      "INSERT INTO roster.pupils (id, given_name, family_name, birth_date, time_zone, site_id, enrolled_on) "
      "VALUES (950, 'Nadia', 'Quill', '2014-02-03', 'America/Denver', 1, '2024-09-01')");
  const auto before = blink_stats();
  const auto links_before = link_count(blink_state());

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto after = blink_stats();
  EXPECT_EQ(count_between(before, after, "POST", "students"), 1) << "the create goes on";
  EXPECT_EQ(discharged_students(blink_state()), 0) << "no discharge goes through";
  EXPECT_GT(links_before, 0U);
  EXPECT_EQ(link_count(blink_state()), links_before) << "the held students keep their links";
  EXPECT_NE(result.err.find("holding every discharge and deletion"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("student=20/"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("sync.max_removal_percent"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("held=20"), std::string::npos) << result.err;
}

TEST_F(Operations, AllowDeletionsLetsExactlyThatMany) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET left_on = CURRENT_DATE - 1 WHERE id BETWEEN 10 AND 29");

  const auto result = run_sync({"--once", "--allow-deletions", "7"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(discharged_students(blink_state()), 7);
  EXPECT_NE(result.err.find("held=13"), std::string::npos) << result.err;

  const auto next = run_sync();
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(discharged_students(blink_state()), 7) << "the allowance was for one run only";
}

TEST_F(Operations, DryRunShowsWhatIsHeld) {
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET left_on = CURRENT_DATE - 1 WHERE id BETWEEN 10 AND 29");

  const auto result = run_sync({"--dry-run"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("held      20 of 20 discharges and deletions"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("--allow-deletions 20"), std::string::npos) << result.out;
}

TEST_F(Operations, RaisedLimitLetsRemovalsThrough) {
  SyncSetup setup;
  setup.extra_sync_yaml = "  max_removal_percent: 50\n";
  prepare(setup);
  ASSERT_EQ(run_sync().exit_code, 0);
  database().execute("UPDATE roster.pupils SET left_on = CURRENT_DATE - 1 WHERE id BETWEEN 10 AND 29");

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(discharged_students(blink_state()), 20);
}

TEST_F(Operations, ReloadAppliesGoodConfigKeepsOldOnBad) {
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=1", std::chrono::seconds(60)));
  const auto original = read_text(config_path());

  write_text(config_path(), "database: [this is not a mapping\n");
  daemon->send_signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_stderr("reload rejected, keeping the running configuration", std::chrono::seconds(10)));

  write_text(config_path(), replaced(original, "  level: info\n", "  level: debug\n"));
  daemon->send_signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_stderr("service: reloaded version=", std::chrono::seconds(10)));
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=2", std::chrono::seconds(60)));

  daemon->send_signal(SIGTERM);
  const auto result = daemon->wait(std::chrono::seconds(20));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("applied the reloaded configuration"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("debug cycle: the roster has not changed"), std::string::npos)
      << "log.level debug applies after the reload";
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.runs WHERE outcome = 'succeeded'"), "2");
}

TEST_F(Operations, HangupReopensRotatedLog) {
  SyncSetup setup;
  setup.extra_log_yaml = "  rotation: external\n";
  prepare(setup);
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=1", std::chrono::seconds(60)));
  const auto log_file = work_dir() / "blink-sync.log";
  std::filesystem::rename(log_file, work_dir() / "blink-sync.log.1");

  daemon->send_signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_stderr("service: reloaded version=", std::chrono::seconds(10)));
  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait(std::chrono::seconds(20)).exit_code, 0);

  const auto reopened = read_text(log_file);
  EXPECT_NE(reopened.find("service: reopened log.file"), std::string::npos) << reopened;
  EXPECT_NE(reopened.find("service: stopped version="), std::string::npos) << reopened;
  EXPECT_NE(read_text(work_dir() / "blink-sync.log.1").find("cycle: finished cycle=1"), std::string::npos);
}

TEST_F(Operations, ResyncRequestRunsInDaemon) {
  SyncSetup setup;
  setup.poll_interval_seconds = 3600;
  prepare(setup);
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=1", std::chrono::seconds(60)));
  const auto student_id = database().scalar("SELECT blink_id FROM blink_sync.mapping WHERE entity = 'student' "
                                            "AND local_id = '3'");
  blink_api("PUT", "/students/" + student_id, json{{"first_name", "Edited"}});
  const auto status = run_sync({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("service: running pid="), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("next cycle: 20"), std::string::npos) << status.out;

  const auto request = run_sync({"--resync"});

  ASSERT_EQ(request.exit_code, 0) << request.err;
  EXPECT_NE(request.out.find("accepted by the daemon"), std::string::npos) << request.out;
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=2 mode=resync", std::chrono::seconds(60)));
  daemon->send_signal(SIGTERM);
  const auto result = daemon->wait(std::chrono::seconds(20));
  EXPECT_EQ(result.exit_code, 0) << result.err;

  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.runs"), "2") << "the command ran no cycle itself";
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.runs a JOIN blink_sync.runs b ON a.id < b.id "
                              "WHERE b.started_at < a.finished_at"),
            "0")
      << "two cycles overlapped";
  EXPECT_EQ(database().scalar("SELECT run_id FROM blink_sync.resync_requests"), "2");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.service_heartbeat"), "0") << "heartbeat left behind";
  const auto state = blink_state();
  for (const auto& student : state["students"]) {
    EXPECT_NE(student["first_name"], "Edited") << "the resync did not restore the roster's value";
  }
}

TEST_F(Operations, ResyncDuringCycleWaitsForIt) {
  SyncSetup setup;
  setup.server_rate_limit = 600;
  setup.requests_per_minute = 600;
  setup.poll_interval_seconds = 3600;
  prepare(setup);
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("service: ready", std::chrono::seconds(10)));

  // The first cycle sends over 100 requests at 10 a second, so once Blink
  // has seen a write the cycle is still running when the request arrives.
  // On a busy machine "ready" alone comes before the cycle starts.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (blink_stats()["by_method"].value("POST", 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto request = run_sync({"--resync"});

  ASSERT_EQ(request.exit_code, 0) << request.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.runs WHERE finished_at IS NOT NULL"), "0")
      << "the request was accepted during the first cycle";
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=2 mode=resync", std::chrono::seconds(90)));
  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait(std::chrono::seconds(20)).exit_code, 0);
  EXPECT_EQ(database().scalar("SELECT string_agg(mode || ':' || outcome, ',' ORDER BY id) FROM blink_sync.runs"),
            "poll:succeeded,resync:succeeded");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.runs a JOIN blink_sync.runs b ON a.id < b.id "
                              "WHERE b.started_at < a.finished_at"),
            "0")
      << "two cycles overlapped";
}

TEST_F(Operations, FailedResyncRunsAgain) {
  SyncSetup setup;
  setup.poll_interval_seconds = 5;
  prepare(setup);
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=1", std::chrono::seconds(60)));

  // With the students' table gone, every cycle fails at its roster read.
  database().execute("ALTER TABLE roster.pupils RENAME TO pupils_away");
  const auto request = run_sync({"--resync"});
  ASSERT_EQ(request.exit_code, 0) << request.err;
  ASSERT_TRUE(daemon->wait_for_stderr("did not complete", std::chrono::seconds(60)));
  database().execute("ALTER TABLE roster.pupils_away RENAME TO pupils");

  EXPECT_TRUE(daemon->wait_for_stderr("mode=resync status=succeeded", std::chrono::seconds(60)));
  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait(std::chrono::seconds(20)).exit_code, 0);
  EXPECT_EQ(database().scalar("SELECT r.outcome FROM blink_sync.resync_requests q JOIN blink_sync.runs r "
                              "ON r.id = q.run_id"),
            "succeeded");
}

TEST_F(Operations, ResyncWithoutDaemonRunsHere) {
  ASSERT_EQ(run_sync().exit_code, 0);

  const auto result = run_sync({"--resync"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(database().scalar("SELECT mode FROM blink_sync.runs WHERE id = 2"), "resync");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.resync_requests"), "0");
}

TEST_F(Operations, NotifiesSystemd) {
  NotifySocket socket;
  auto daemon = start_sync({}, {"NOTIFY_SOCKET=" + socket.path(), "WATCHDOG_USEC=1000000"});

  EXPECT_TRUE(socket.wait_for("READY=1", std::chrono::seconds(20))) << socket.received();
  EXPECT_TRUE(socket.wait_for("STATUS=cycle=1 succeeded", std::chrono::seconds(60))) << socket.received();
  EXPECT_TRUE(socket.wait_for("WATCHDOG=1", std::chrono::seconds(5))) << socket.received();
  daemon->send_signal(SIGHUP);
  EXPECT_TRUE(socket.wait_for("RELOADING=1", std::chrono::seconds(10))) << socket.received();
  daemon->send_signal(SIGTERM);
  EXPECT_TRUE(socket.wait_for("STOPPING=1", std::chrono::seconds(20))) << socket.received();
  EXPECT_EQ(daemon->wait(std::chrono::seconds(20)).exit_code, 0);
}

TEST_F(Operations, LogLinesCarryFields) {
  database().execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/tests/fixtures/roster-bad-rows.sql");

  ASSERT_EQ(run_sync().exit_code, 0);

  const auto log = log_text();
  const std::regex summary(R"(info cycle: finished cycle=1 mode=once status=succeeded_with_errors created=\d+ )"
                           R"(adopted=\d+ updated=\d+ linked=\d+ discharged=\d+ deleted=\d+ held=0 errors=\d+ )"
                           R"(api_calls=\d+ denied=\d+ duration_ms=\d+)");
  EXPECT_TRUE(std::regex_search(log, summary)) << log;
  const std::regex record_error(R"(error record error: entity=student local_id=902 blink_id=- status=- message=")");
  EXPECT_TRUE(std::regex_search(log, record_error)) << log;
  EXPECT_NE(log.find("service: starting version="), std::string::npos);
  EXPECT_NE(log.find("config=" + config_path().string()), std::string::npos);
  EXPECT_NE(log.find("service: stopped version="), std::string::npos);
  EXPECT_NE(log.find(" exit_code=0"), std::string::npos);
}

TEST_F(Operations, PiledUpRetriesWarned) {
  for (const auto* path : {"/v1/students", "/v1/student-logins", "/v1/staff"}) {
    control().add_faults(json{{"method", "GET"}, {"path_prefix", path}, {"action", "error500"}, {"count", 4}});
  }

  const auto result = run_sync();

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(blink_stats()["injected_500"], 12);
  EXPECT_NE(result.err.find("warning cycle: retries piled up cycle=1 retries=12"), std::string::npos) << result.err;
}

TEST_F(Operations, RepeatedErrorLoggedOnce) {
  database().execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/tests/fixtures/roster-bad-rows.sql");
  ASSERT_EQ(run_sync().exit_code, 0);

  const auto second = run_sync();

  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find("entity=student local_id=902"), std::string::npos)
      << "repeated error logged again: " << second.err;
  EXPECT_EQ(database().scalar("SELECT unlogged FROM blink_sync.records_in_error WHERE entity = 'student' "
                              "AND local_id = '902'"),
            "1");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.record_errors WHERE entity = 'student' AND local_id = '902'"), "2")
      << "every occurrence is still recorded";

  database().execute("UPDATE roster.pupils SET birth_date = '2012-01-01' WHERE id = 902");
  ASSERT_EQ(run_sync().exit_code, 0);
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.records_in_error WHERE entity = 'student' AND local_id = '902'"), "0")
      << "a fixed record leaves the list";
}

TEST_F(Operations, JsonLogLinesParse) {
  SyncSetup setup;
  setup.extra_log_yaml = "  format: json\n";
  prepare(setup);

  ASSERT_EQ(run_sync().exit_code, 0);

  std::stringstream lines(log_text());
  std::string line;
  bool summary = false;
  while (std::getline(lines, line)) {
    const auto parsed = json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << line;
    if (parsed.value("component", "") == "cycle" && parsed.contains("duration_ms")) {
      summary = true;
      EXPECT_EQ(parsed["cycle"], "1");
      EXPECT_EQ(parsed["status"], "succeeded");
    }
  }
  EXPECT_TRUE(summary) << log_text();
}

TEST_F(Operations, NoSecretsOrPersonalDataInLogs) {
  database().execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/tests/fixtures/roster-bad-rows.sql");
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/student-logins"}, {"action", "reject406"},
                            {"message", "email is already taken"}, {"count", 2}});

  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto logs = log_text() + result.err + result.out;

  EXPECT_EQ(logs.find(token()), std::string::npos) << "the API token is in the log";
  const auto emails = database().scalar(
      "SELECT string_agg(email, E'\\n') FROM (SELECT email FROM roster.guardians UNION ALL "
      "SELECT email FROM roster.clinicians) AS e WHERE email IS NOT NULL");
  const auto births = database().scalar(
      "SELECT string_agg(to_char(birth_date, 'YYYY-MM-DD') || E'\\n' || to_char(birth_date, 'MM/DD/YYYY'), E'\\n') "
      "FROM roster.pupils");
  std::stringstream values(emails + "\n" + births);
  std::string value;
  int checked = 0;
  while (std::getline(values, value)) {
    if (value.empty()) {
      continue;
    }
    ++checked;
    EXPECT_EQ(logs.find(value), std::string::npos) << "personal data in the log: " << value;
  }
  EXPECT_GT(checked, 100);
}

// Blink may quote the record it rejects. A name has no shape to find, so
// the daemon masks the values it sent.
TEST_F(Operations, RejectedNameNotLogged) {
  const auto first_name = database().scalar("SELECT given_name FROM roster.pupils ORDER BY id LIMIT 1");
  const auto last_name = database().scalar("SELECT family_name FROM roster.pupils ORDER BY id LIMIT 1");
  control().add_faults(json{{"method", "POST"}, {"path_prefix", "/v1/students"}, {"action", "reject406"},
                            {"message", "student " + first_name + " " + last_name + " is not valid"}, {"count", 1}});

  const auto result = run_sync();
  const auto status = run_sync({"status"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto logs = log_text() + result.err + result.out + status.out;
  EXPECT_NE(logs.find("student <first_name> <last_name> is not valid"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(first_name + " " + last_name), std::string::npos) << "a name reached the log";
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.record_errors WHERE message LIKE '%<first_name>%'"), "1");
  EXPECT_EQ(database().scalar("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'student'"),
            database().scalar("SELECT count(*) - 1 FROM roster.pupils WHERE left_on IS NULL OR left_on > CURRENT_DATE"))
      << "the other students were not created";
}

TEST_F(Operations, StatusPrintsRunsAndErrors) {
  database().execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/tests/fixtures/roster-bad-rows.sql");
  ASSERT_EQ(run_sync().exit_code, 0);

  const auto result = run_sync({"status"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("service: not running"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("cycle=1 mode=once"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("entity=student local_id=902"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("pending resync requests:\n  none"), std::string::npos) << result.out;
}

TEST_F(Operations, CheckConfigExitCodes) {
  const auto good = run_sync({"check-config"});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("the token works"), std::string::npos) << good.out;
  EXPECT_EQ(run_sync({"--check-config"}).exit_code, 0) << "the flag stays an alias";

  write_token_file("wrong-token");
  EXPECT_EQ(run_sync({"check-config"}).exit_code, 77);
  write_token_file(token());

  // A database user without SELECT on the roster tables.
  const auto role = "reader_" + std::to_string(::getpid());
  database().execute("CREATE ROLE " + role + " LOGIN");
  auto reader_url = database().url();
  reader_url.replace(reader_url.find("postgres@"), 9, role + "@");
  const auto denied = run_process({BLINK_SYNC_EXE, "--config", config_path().string(), "check-config"},
                                  {"BLINK_SYNC_DATABASE_URL=" + reader_url});
  database().execute("DROP ROLE " + role);
  EXPECT_EQ(denied.exit_code, 77) << denied.err;
  EXPECT_NE(denied.err.find("grant SELECT"), std::string::npos) << denied.err;

  const auto original = read_text(config_path());
  write_text(config_path(), replaced(original, "FROM roster.pupils AS p", "FROM roster.no_such_table AS p"));
  EXPECT_EQ(run_sync({"check-config"}).exit_code, 78);
  write_text(config_path(), replaced(original, "  burst: 1\n", "  burst: one\n"));
  EXPECT_EQ(run_sync({"check-config"}).exit_code, 78);
  // Port 9 (discard) on loopback has no listener here.
  const std::regex base_url(R"(base_url: "[^"]*")");
  write_text(config_path(), std::regex_replace(original, base_url, R"(base_url: "http://127.0.0.1:9/v1")"));
  EXPECT_EQ(run_sync({"check-config"}).exit_code, 69);
}

TEST_F(Operations, CheckConfigReportsEveryInvalidQuery) {
  auto config = read_text(config_path());
  config = replaced(config, "FROM roster.pupils AS p", "FROM roster.no_pupils AS p");
  config = replaced(config, "FROM roster.clinicians AS c", "FROM roster.no_clinicians AS c");
  config = replaced(config, "UPDATE roster.pupils SET blink_session_student_id = :blink_id",
                    "UPDATE roster.pupils SET no_such_column = :blink_id");
  write_text(config_path(), config);

  const auto result = run_sync({"check-config"});

  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("roster.students: the query is invalid"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("no_pupils"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("roster.staff: the query is invalid"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("no_clinicians"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("write_back.students.created: the statement is invalid"), std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("roster.student_logins: the query runs"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("the token works"), std::string::npos) << "Blink is checked only after the database";
}

TEST_F(Operations, CheckConfigNamesMissingColumn) {
  auto config = read_text(config_path());
  config = replaced(config, "p.birth_date  AS date_of_birth", "p.birth_date  AS born");
  write_text(config_path(), config);

  const auto result = run_sync({"check-config"});

  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("roster.students: the query returns no column date_of_birth; rename its columns"),
            std::string::npos)
      << result.err;
}

TEST_F(Operations, RosterTriggerWakesDaemon) {
  SyncSetup setup;
  setup.poll_interval_seconds = 3600;
  setup.extra_roster_yaml = "  watch_tables: [roster.pupils, roster.guardians]\n";
  prepare(setup);
  const auto installed = run_sync({"install-triggers"});
  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_NE(installed.out.find("installed the change trigger on roster.pupils"), std::string::npos) << installed.out;
  auto daemon = start_sync({});
  ASSERT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=1", std::chrono::seconds(60)));

  database().execute("UPDATE roster.pupils SET given_name = 'Zoë' WHERE id = 3");

  // Without the trigger the next cycle would start an hour later.
  EXPECT_TRUE(daemon->wait_for_stderr("cycle: finished cycle=2", std::chrono::seconds(60)));
  daemon->send_signal(SIGTERM);
  EXPECT_EQ(daemon->wait(std::chrono::seconds(20)).exit_code, 0);
  EXPECT_EQ(database().scalar("SELECT updated FROM blink_sync.runs WHERE id = 2"), "1");
  const auto removed = run_sync({"remove-triggers"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(database().scalar("SELECT count(*) FROM pg_trigger WHERE tgname = 'blink_sync_notify_roster_change'"), "0");
}

TEST_F(Operations, TriggersNeedWatchTables) {
  const auto result = run_sync({"install-triggers"});

  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("roster.watch_tables lists no table"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace blink_sync::testing
