// The API token and personal data, looked for in everything the real
// blink-sync executable writes: standard output, standard error and every
// file it leaves in its work folder (the log file among them).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/sync_fixture.hpp"

namespace blink_sync::testing {
namespace {

class Secrets : public SyncFixture {
 protected:
  // Returns the text of every file under the work folder except the token
  // file and the configuration, which the test wrote itself.
  std::vector<std::pair<std::string, std::string>> written_files() const {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(work_dir())) {
      const auto name = entry.path().filename().string();
      if (!entry.is_regular_file() || name == "token" || name == "config.yaml") {
        continue;
      }
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      files.emplace_back(entry.path().string(), text.str());
    }
    return files;
  }

  // Checks that `secret` is in no output of `runs` and in no written file.
  void expect_nowhere(const std::string& secret, const std::vector<ProcessResult>& runs) const {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      EXPECT_EQ(runs[i].out.find(secret), std::string::npos) << "standard output of run " << i + 1;
      EXPECT_EQ(runs[i].err.find(secret), std::string::npos) << "standard error of run " << i + 1;
    }
    for (const auto& [path, text] : written_files()) {
      EXPECT_EQ(text.find(secret), std::string::npos) << path;
    }
  }
};

TEST_F(Secrets, TokenInNoOutputAtTraceLevel) {
  SyncSetup setup;
  setup.log_level = "trace";
  prepare(setup);

  std::vector<ProcessResult> runs;
  runs.push_back(run_sync({"--check-config"}));
  runs.push_back(run_sync({"--dry-run"}));
  runs.push_back(run_sync({"--once"}));
  runs.push_back(run_sync({"--once"}));

  for (const auto& run : runs) {
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  // The requests were logged, so the check below had something to search.
  EXPECT_NE(log_text().find("blink: GET /students"), std::string::npos) << log_text();
  expect_nowhere(token(), runs);
}

TEST_F(Secrets, RejectedTokenInNoOutput) {
  const std::string wrong_token = "wrong-token-7d1e0a";
  SyncSetup setup;
  setup.log_level = "trace";
  setup.token_override = wrong_token;
  prepare(setup);

  std::vector<ProcessResult> runs;
  runs.push_back(run_sync({"--dry-run"}));
  runs.push_back(run_sync({"--once"}));

  EXPECT_NE(runs[1].exit_code, 0);
  EXPECT_NE(runs[1].err.find("HTTP 401"), std::string::npos) << runs[1].err;
  expect_nowhere(wrong_token, runs);
}

TEST_F(Secrets, TokenFromEnvironmentInNoOutput) {
  SyncSetup setup;
  setup.log_level = "trace";
  setup.token_override = "not-used-because-the-environment-wins";
  prepare(setup);
  std::vector<std::string> command = {BLINK_SYNC_EXE, "--config", (work_dir() / "config.yaml").string(), "--once"};

  const auto run = run_process(command, {"BLINK_SYNC_TOKEN=" + token()});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  expect_nowhere(token(), {run});
}

TEST_F(Secrets, RejectedEnvironmentTokenNamedAsSource) {
  const std::string wrong_token = "wrong-env-token-5c2b91";
  std::vector<std::string> command = {BLINK_SYNC_EXE, "--config", (work_dir() / "config.yaml").string(), "--once"};

  const auto run = run_process(command, {"BLINK_SYNC_TOKEN=" + wrong_token});

  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("HTTP 401"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("the BLINK_SYNC_TOKEN environment variable"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("token_file"), std::string::npos) << run.err;
  expect_nowhere(wrong_token, {run});
}

// The demo roster's emails and family names must not reach the log or
// standard error at info level.
TEST_F(Secrets, InfoLogHoldsNoPersonalData) {
  const auto run = run_sync({"--once"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const std::regex email(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})");
  EXPECT_FALSE(std::regex_search(log_text(), email)) << log_text();
  EXPECT_FALSE(std::regex_search(run.err, email)) << run.err;

  std::stringstream names(database().scalar(
      "SELECT string_agg(DISTINCT family_name, ',') FROM ("
      "SELECT family_name FROM roster.pupils UNION SELECT family_name FROM roster.guardians "
      "UNION SELECT family_name FROM roster.clinicians) AS people WHERE length(family_name) > 3"));
  std::string name;
  int checked = 0;
  while (std::getline(names, name, ',')) {
    EXPECT_EQ(log_text().find(name), std::string::npos) << name;
    EXPECT_EQ(run.err.find(name), std::string::npos) << name;
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

}  // namespace
}  // namespace blink_sync::testing
