#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "control_client.hpp"
#include "fake_blink_process.hpp"
#include "support/child_process.hpp"
#include "support/test_database.hpp"

namespace blink_sync::testing {

// What a test changes from the default setup.
struct SyncSetup {
  int server_rate_limit = 6000;    // fake-blink --rate-limit
  int requests_per_minute = 6000;  // blink.requests_per_minute in the config
  int page_size = 500;
  bool demo_roster = true;         // load deploy/roster/demo-data.sql
  std::string token_override;      // a wrong token for the config, when set
  std::string extra_sync_yaml;     // more keys for the sync: section
  std::string extra_log_yaml;      // more keys for the log: section
  std::string extra_roster_yaml;   // more keys for the roster: section, which comes last
  int poll_interval_seconds = 10;
  int request_timeout_seconds = 5;
  std::string cluster_admin_url;   // a private cluster instead of the shared one, when set
  std::string log_level = "info";  // log.level in the config
};

// A test database with the reference roster, a fake Blink server and a
// configuration that points blink-sync at both.
class SyncFixture : public ::testing::Test {
 protected:
  void SetUp() override { prepare(SyncSetup{}); }

  // Rebuilds everything with other settings; call at the start of a test.
  void prepare(const SyncSetup& setup);

  // Runs the blink-sync executable with --config and `arguments`.
  ProcessResult run_sync(const std::vector<std::string>& arguments = {"--once"});
  std::unique_ptr<ChildProcess> start_sync(const std::vector<std::string>& arguments,
                                          const std::vector<std::string>& extra_environment = {});
  std::filesystem::path config_path() const { return work_dir_ / "config.yaml"; }

  nlohmann::json blink_state() { return control_->state(); }
  nlohmann::json blink_stats() { return control_->stats(); }
  fake_blink::ControlClient& control() { return *control_; }
  const TestDatabase& database() const { return *database_; }
  const std::filesystem::path& work_dir() const { return work_dir_; }
  std::string log_text() const;
  std::string token() const { return token_; }
  void write_token_file(const std::string& token) const;

  // Sends an authenticated request to the fake server's API, as a person
  // editing in the Blink web app would.
  nlohmann::json blink_api(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);

  // Returns how many requests of `method` (and entity, if given) the
  // server counted between two stats snapshots.
  static long long count_between(const nlohmann::json& before, const nlohmann::json& after, const std::string& method,
                                 const std::string& entity = "");
  static long long writes_between(const nlohmann::json& before, const nlohmann::json& after);

 private:
  void write_config(const SyncSetup& setup);

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<fake_blink::FakeBlinkProcess> blink_;
  std::unique_ptr<fake_blink::ControlClient> control_;
  std::filesystem::path work_dir_;
  std::string token_;
};

}  // namespace blink_sync::testing
