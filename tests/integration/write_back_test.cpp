// End-to-end tests of the roster write-back and of blink_sync.remote_records:
// the real blink-sync executable, the reference roster with the write-back
// statements of deploy/roster/queries.yaml, and the fake Blink server, whose
// state is the independent record of the ids Blink gave.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

class WriteBack : public SyncFixture {
 protected:
  // Returns "key=value" lines of a two-column query as a map.
  std::map<std::string, std::string> pairs(const std::string& key_sql, const std::string& value_sql,
                                           const std::string& from) {
    const auto text = database().scalar("SELECT string_agg(" + key_sql + " || '=' || COALESCE(" + value_sql +
                                        ", 'NULL'), E'\\n') FROM " + from);
    std::map<std::string, std::string> result;
    std::stringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) {
      const auto equals = line.rfind('=');
      result[line.substr(0, equals)] = line.substr(equals + 1);
    }
    return result;
  }

  // Rewrites the configuration file, replacing `from` with `to` once.
  void edit_config(const std::string& from, const std::string& to) {
    std::ifstream in(config_path());
    std::stringstream text;
    text << in.rdbuf();
    auto config = text.str();
    const auto at = config.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    config.replace(at, from.size(), to);
    std::ofstream(config_path()) << config;
  }

  long long staff_blink_id(const std::string& local_id) {
    return std::stoll(database().scalar(
        "SELECT blink_id FROM blink_sync.mapping WHERE entity = 'staff' AND local_id = '" + local_id + "'"));
  }

  int count(const std::string& sql) { return std::stoi(database().scalar(sql)); }
};

TEST_F(WriteBack, RosterHoldsBlinkIdsOfAllEntities) {
  const auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto state = blink_state();

  // Students, keyed by name and date of birth as Blink shows them.
  const auto pupils = pairs("given_name || '|' || COALESCE(family_name, '') || '|' || to_char(birth_date, 'MM/DD/YYYY')",
                            "blink_session_student_id::text",
                            "roster.pupils WHERE left_on IS NULL OR left_on > CURRENT_DATE");
  ASSERT_EQ(pupils.size(), state["students"].size());
  for (const auto& student : state["students"]) {
    const auto key = student["first_name"].get<std::string>() + "|" + student["last_name"].get<std::string>() + "|" +
                     student["date_of_birth"].get<std::string>();
    ASSERT_TRUE(pupils.count(key)) << key;
    EXPECT_EQ(pupils.at(key), std::to_string(student["id"].get<long long>())) << key;
  }

  // Student-logins and staff, keyed by email.
  const auto guardians = pairs("lower(email)", "blink_session_student_login_id::text", "roster.guardians");
  ASSERT_FALSE(state["student_logins"].empty());
  for (const auto& login : state["student_logins"]) {
    const auto email = lower(login["email"].get<std::string>());
    ASSERT_TRUE(guardians.count(email)) << email;
    EXPECT_EQ(guardians.at(email), std::to_string(login["id"].get<long long>())) << email;
  }
  const auto clinicians = pairs("lower(email)", "blink_session_staff_id::text", "roster.clinicians");
  const auto links = pairs("lower(email)", "join_by_link", "roster.clinicians");
  const auto activation = pairs("lower(email)", "activated::text", "roster.clinicians");
  ASSERT_FALSE(state["staff"].empty());
  for (const auto& staff : state["staff"]) {
    const auto email = lower(staff["email"].get<std::string>());
    ASSERT_TRUE(clinicians.count(email)) << email;
    EXPECT_EQ(clinicians.at(email), std::to_string(staff["id"].get<long long>())) << email;
    EXPECT_EQ(links.at(email), staff["join_by_link"].get<std::string>()) << email;
    EXPECT_EQ(activation.at(email), staff["activated"] == "Yes" ? "true" : "false") << email;
  }
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.pending_write_backs"), 0);
}

TEST_F(WriteBack, FailingStatementKeepsMappingAndRetries) {
  // The roster refuses the staff ids, as a constraint an administrator
  // added would.
  database().execute(
      "ALTER TABLE roster.clinicians ADD CONSTRAINT no_blink_id CHECK (blink_session_staff_id IS NULL)");

  auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto state = blink_state();
  const auto staff_in_blink = static_cast<int>(state["staff"].size());
  ASSERT_GT(staff_in_blink, 0);

  // Every create reached Blink once, and every mapping was saved.
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.mapping WHERE entity = 'staff'"), staff_in_blink);
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.intents WHERE entity = 'staff' AND outcome = 'applied'"),
            staff_in_blink);
  // Each failure is a record error naming the statement and the constraint.
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.pending_write_backs WHERE entity = 'staff' AND event = 'created'"),
            staff_in_blink);
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.record_errors WHERE entity = 'staff' AND blink_id IS NOT NULL "
                  "AND message LIKE '%write_back.staff.created%' AND message LIKE '%no_blink_id%'"),
            staff_in_blink);
  EXPECT_EQ(count("SELECT count(*) FROM roster.clinicians WHERE blink_session_staff_id IS NOT NULL "
                  "OR join_by_link IS NOT NULL"),
            0);
  // Nothing else was rolled back.
  EXPECT_EQ(count("SELECT count(*) FROM roster.pupils WHERE blink_session_student_id IS NOT NULL"),
            static_cast<int>(state["students"].size()));
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs ORDER BY id DESC LIMIT 1"),
            "succeeded_with_errors");

  // Once the roster accepts them, the next cycle fills the columns without
  // sending anything to Blink.
  database().execute("ALTER TABLE roster.clinicians DROP CONSTRAINT no_blink_id");
  const auto before = blink_stats();
  result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(writes_between(before, blink_stats()), 0);
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.pending_write_backs"), 0);
  for (const auto& staff : state["staff"]) {
    EXPECT_EQ(count("SELECT count(*) FROM roster.clinicians WHERE lower(email) = lower('" +
                    staff["email"].get<std::string>() + "') AND blink_session_staff_id = " +
                    std::to_string(staff["id"].get<long long>()) + " AND join_by_link = '" +
                    staff["join_by_link"].get<std::string>() + "'"),
              1)
        << staff["email"];
  }
  EXPECT_EQ(database().scalar("SELECT outcome FROM blink_sync.runs ORDER BY id DESC LIMIT 1"), "succeeded");
}

TEST_F(WriteBack, EditInBlinkReachesRoster) {
  // Blink is read every cycle, so the edit is seen at once.
  SyncSetup setup;
  setup.extra_sync_yaml = "  reconcile_interval_seconds: 0\n";
  prepare(setup);
  auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto staff_id = staff_blink_id("1");
  const auto other_link = database().scalar("SELECT join_by_link FROM roster.clinicians WHERE id = 2");
  ASSERT_EQ(database().scalar("SELECT activated FROM roster.clinicians WHERE id = 1"), "f");

  // The clinician activates the account and gets a new join link, in Blink.
  control().send("POST", "/_control/account",
                 {{"id", staff_id}, {"activated", "Yes"}, {"join_by_link", "http://127.0.0.1/joinsession/new1"}});
  result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;

  EXPECT_EQ(database().scalar("SELECT activated FROM roster.clinicians WHERE id = 1"), "t");
  EXPECT_EQ(database().scalar("SELECT join_by_link FROM roster.clinicians WHERE id = 1"),
            "http://127.0.0.1/joinsession/new1");
  EXPECT_EQ(database().scalar("SELECT join_by_link FROM roster.clinicians WHERE id = 2"), other_link);
  // The remote copy contains what was read last.
  EXPECT_EQ(database().scalar("SELECT join_by_link FROM blink_sync.remote_records WHERE entity = 'staff' "
                              "AND blink_id = " + std::to_string(staff_id)),
            "http://127.0.0.1/joinsession/new1");
  EXPECT_EQ(database().scalar("SELECT activated FROM blink_sync.remote_records WHERE entity = 'staff' "
                              "AND blink_id = " + std::to_string(staff_id)),
            "t");
}

TEST_F(WriteBack, RemoteRecordsHoldLastRead) {
  SyncSetup setup;
  setup.extra_sync_yaml = "  reconcile_interval_seconds: 0\n";
  prepare(setup);
  auto result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = run_sync();  // reads Blink again, now with every record mapped
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto state = blink_state();

  for (const auto& [entity, list] : {std::pair{"student", "students"}, std::pair{"student_login", "student_logins"},
                                     std::pair{"staff", "staff"}}) {
    EXPECT_EQ(count(std::string("SELECT count(*) FROM blink_sync.remote_records WHERE entity = '") + entity + "'"),
              static_cast<int>(state[list].size()))
        << entity;
    EXPECT_EQ(count(std::string("SELECT count(*) FROM blink_sync.remote_records r JOIN blink_sync.mapping m "
                                "USING (entity, blink_id) WHERE r.entity = '") +
                    entity + "' AND r.local_id = m.local_id"),
              static_cast<int>(state[list].size()))
        << entity;
  }
  for (const auto& staff : state["staff"]) {
    const auto id = std::to_string(staff["id"].get<long long>());
    EXPECT_EQ(database().scalar("SELECT join_by_link FROM blink_sync.remote_records WHERE entity = 'staff' "
                                "AND blink_id = " + id),
              staff["join_by_link"].get<std::string>());
    EXPECT_EQ(database().scalar("SELECT fields->>'email' FROM blink_sync.remote_records WHERE entity = 'staff' "
                                "AND blink_id = " + id),
              staff["email"].get<std::string>());
    EXPECT_EQ(database().scalar("SELECT to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS') FROM blink_sync.remote_records "
                                "WHERE entity = 'staff' AND blink_id = " + id),
              staff["updated_at"].get<std::string>());
  }

  // A student deleted in Blink is gone from the copy after the next read,
  // and the roster contains the id of the student created again in its place.
  const auto deleted = state["students"][0]["id"].get<long long>();
  blink_api("DELETE", "/students/" + std::to_string(deleted));
  result = run_sync();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count("SELECT count(*) FROM blink_sync.remote_records WHERE entity = 'student' AND blink_id = " +
                  std::to_string(deleted)),
            0)
      << log_text();
  EXPECT_EQ(count("SELECT count(*) FROM roster.pupils WHERE blink_session_student_id = " + std::to_string(deleted)),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM roster.pupils p JOIN blink_sync.mapping m ON m.entity = 'student' "
                  "AND m.local_id = p.id::text WHERE p.blink_session_student_id = m.blink_id"),
            static_cast<int>(state["students"].size()));
}

TEST_F(WriteBack, CheckConfigRejectsUnknownParameter) {
  edit_config("join_by_link = :join_by_link", "join_by_link = :join_link");
  edit_config("    removed: |\n      UPDATE roster.clinicians", "    remove: |\n      UPDATE roster.clinicians");
  const auto result = run_sync({"check-config"});
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("write_back.staff.created: unknown parameter :join_link"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("write_back.staff.remove: unknown key; did you mean \"removed\"?"), std::string::npos)
      << result.err;
}

TEST_F(WriteBack, CheckConfigRejectsUnknownColumns) {
  edit_config("UPDATE roster.pupils SET blink_session_student_id = :blink_id",
              "UPDATE roster.pupils SET blink_student = :blink_id");
  edit_config("UPDATE roster.guardians SET blink_session_student_login_id = NULL",
              "UPDATE roster.guardians SET blink_login = NULL");
  const auto result = run_sync({"check-config"});
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_NE(result.err.find("write_back.students.created: the statement is invalid"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("blink_student"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("write_back.student_logins.removed: the statement is invalid"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace blink_sync::testing
