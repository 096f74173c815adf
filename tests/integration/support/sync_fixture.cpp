#include "support/sync_fixture.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "http_client.hpp"

namespace blink_sync::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return info == nullptr ? "test" : std::string(info->test_suite_name()) + "_" + info->name();
}

long long counter(const nlohmann::json& stats, const std::string& method, const std::string& entity) {
  if (entity.empty()) {
    const auto& by_method = stats.value("by_method", nlohmann::json::object());
    return by_method.value(method, 0LL);
  }
  const auto& by_endpoint = stats.value("by_endpoint", nlohmann::json::object());
  return by_endpoint.value(method + " " + entity, 0LL);
}

}  // namespace

void SyncFixture::prepare(const SyncSetup& setup) {
  control_.reset();
  blink_.reset();
  database_.reset();

  work_dir_ = std::filesystem::path(BLINK_SYNC_TEST_WORK_DIR) / (test_name() + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(work_dir_);
  std::filesystem::create_directories(work_dir_);

  database_ = std::make_unique<TestDatabase>(test_name(), setup.cluster_admin_url);
  database_->execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/roster/schema.sql");
  if (setup.demo_roster) {
    database_->execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/roster/demo-data.sql");
  }

  token_ = "test-token-" + std::to_string(::getpid()) + "-4f9c2b";
  blink_ = std::make_unique<fake_blink::FakeBlinkProcess>(
      FAKE_BLINK_EXE, std::vector<std::string>{"--listen", "127.0.0.1:0", "--token", token_, "--rate-limit",
                                               std::to_string(setup.server_rate_limit)});
  control_ = std::make_unique<fake_blink::ControlClient>(blink_->port());
  write_config(setup);
}

void SyncFixture::write_config(const SyncSetup& setup) {
  const auto token_file = work_dir_ / "token";
  write_token_file(setup.token_override.empty() ? token_ : setup.token_override);

  auto queries = read_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/roster/queries.yaml");
  const auto roster = queries.find("\nroster:\n");
  queries.insert(roster + 9, "  default_timezone: \"America/New_York\"\n");

  std::ofstream config(work_dir_ / "config.yaml");
  config << "database:\n  url: \"" << database_->url() << "\"\n"
         << "blink:\n  base_url: \"" << blink_->base_url() << "\"\n"
         << "  token_file: \"" << token_file.string() << "\"\n"
         << "  requests_per_minute: " << setup.requests_per_minute << "\n"
         << "  burst: 1\n  request_timeout_seconds: " << setup.request_timeout_seconds
         << "\n  connect_timeout_seconds: 2\n"
         << "  retry_initial_delay_ms: 50\n  retry_max_delay_ms: 200\n"
         << "  page_size: " << setup.page_size << "\n"
         << "sync:\n  poll_interval_seconds: " << setup.poll_interval_seconds << "\n" << setup.extra_sync_yaml
         << "log:\n  file: \"" << (work_dir_ / "blink-sync.log").string() << "\"\n  level: " << setup.log_level << "\n"
         << setup.extra_log_yaml << queries << setup.extra_roster_yaml;
}

void SyncFixture::write_token_file(const std::string& token) const {
  const auto token_file = work_dir_ / "token";
  std::ofstream(token_file) << token << "\n";
  std::filesystem::permissions(token_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

ProcessResult SyncFixture::run_sync(const std::vector<std::string>& arguments) {
  std::vector<std::string> command = {BLINK_SYNC_EXE, "--config", (work_dir_ / "config.yaml").string()};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return run_process(command, {}, std::chrono::seconds(120));
}

std::unique_ptr<ChildProcess> SyncFixture::start_sync(const std::vector<std::string>& arguments,
                                                      const std::vector<std::string>& extra_environment) {
  std::vector<std::string> command = {BLINK_SYNC_EXE, "--config", (work_dir_ / "config.yaml").string()};
  command.insert(command.end(), arguments.begin(), arguments.end());
  return std::make_unique<ChildProcess>(command, extra_environment);
}

std::string SyncFixture::log_text() const { return read_file(work_dir_ / "blink-sync.log"); }

nlohmann::json SyncFixture::blink_api(const std::string& method, const std::string& path, const nlohmann::json& body) {
  fake_blink::HttpClient client("127.0.0.1", blink_->port());
  const auto response = client.request(method, "/v1" + path, body.is_null() ? std::string() : body.dump(),
                                       {{"Authorization", "Bearer " + token_}, {"Accept", "application/json"}});
  return response.json();
}

long long SyncFixture::count_between(const nlohmann::json& before, const nlohmann::json& after,
                                     const std::string& method, const std::string& entity) {
  return counter(after, method, entity) - counter(before, method, entity);
}

long long SyncFixture::writes_between(const nlohmann::json& before, const nlohmann::json& after) {
  return count_between(before, after, "POST") + count_between(before, after, "PUT") +
         count_between(before, after, "DELETE");
}

}  // namespace blink_sync::testing
