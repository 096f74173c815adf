#include "server_fixture.hpp"

#include <stdexcept>

namespace fake_blink::testing {

std::unique_ptr<FakeBlinkProcess> FakeBlinkTest::server_;
std::unique_ptr<HttpClient> FakeBlinkTest::client_;
std::unique_ptr<ControlClient> FakeBlinkTest::control_;

std::string fake_blink_path() { return FAKE_BLINK_PATH; }

nlohmann::json student_payload(std::string first_name, std::string last_name,
                               std::string date_of_birth) {
  return {{"first_name", std::move(first_name)},
          {"last_name", std::move(last_name)},
          {"date_of_birth", std::move(date_of_birth)},
          {"student_timezone", "America/New_York"}};
}

nlohmann::json staff_payload(std::string email) {
  return {{"first_name", "Ada"},
          {"last_name", "Lovelace"},
          {"display_name", "Mrs. Lovelace"},
          {"email", std::move(email)},
          {"phone", "555-555-5555"},
          {"user_timezone", "America/Denver"}};
}

nlohmann::json login_payload(std::string email, std::string linked_student_ids) {
  return {{"first_name", "Pat"},
          {"last_name", "Parent"},
          {"email", std::move(email)},
          {"phone", "555-555-0000"},
          {"linked_student_ids", std::move(linked_student_ids)}};
}

void FakeBlinkTest::SetUpTestSuite() {
  server_ = std::make_unique<FakeBlinkProcess>(
      fake_blink_path(), std::vector<std::string>{"--token", std::string{kToken}, "--rate-limit", "0"});
  client_ = std::make_unique<HttpClient>(server_->host(), server_->port());
  control_ = std::make_unique<ControlClient>(server_->port(), server_->host());
}

void FakeBlinkTest::TearDownTestSuite() {
  control_.reset();
  client_.reset();
  server_.reset();
}

void FakeBlinkTest::SetUp() { control().reset(); }

HttpResponse FakeBlinkTest::api(std::string_view method, std::string_view target,
                                const nlohmann::json& body) {
  const std::string text = body.is_null() ? std::string{} : body.dump();
  return client_->request(method, target, text,
                          {{"Authorization", "Bearer " + std::string{kToken}}});
}

HttpResponse FakeBlinkTest::api_with_authorization(std::string_view method,
                                                   std::string_view target,
                                                   std::string_view authorization) {
  HttpHeaders headers;
  if (!authorization.empty()) {
    headers.emplace_back("Authorization", std::string{authorization});
  }
  return client_->request(method, target, {}, headers);
}

std::int64_t FakeBlinkTest::create(std::string_view collection, const nlohmann::json& payload) {
  const std::string target = "/v1/" + std::string{collection};
  const HttpResponse response = api("POST", target, payload);
  if (response.status != 200) {
    throw std::runtime_error("POST " + target + " returned " + std::to_string(response.status) +
                             ": " + response.body);
  }
  return response.json()["data"]["id"].get<std::int64_t>();
}

}  // namespace fake_blink::testing
