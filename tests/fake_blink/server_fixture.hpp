// GoogleTest fixture that runs one fake-blink per test suite with the rate
// limit off, and empties it before each test.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "control_client.hpp"
#include "fake_blink_process.hpp"
#include "http_client.hpp"

namespace fake_blink::testing {

inline constexpr std::string_view kToken = "test-token";

// Returns a student POST payload.
nlohmann::json student_payload(std::string first_name, std::string last_name,
                               std::string date_of_birth = "04/23/2010");

// Returns a staff POST payload with every required field.
nlohmann::json staff_payload(std::string email);

// Returns a student-login POST payload linked to `linked_student_ids`, e.g. "5001,5002".
nlohmann::json login_payload(std::string email, std::string linked_student_ids);

class FakeBlinkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // Sends a /v1 request with the test token. A null `body` sends none.
  static HttpResponse api(std::string_view method, std::string_view target,
                          const nlohmann::json& body = nullptr);

  // Sends a request with the given Authorization header value ("" for none).
  static HttpResponse api_with_authorization(std::string_view method, std::string_view target,
                                             std::string_view authorization);

  // POST the payload and return the new id. Throws when the status is not 200.
  static std::int64_t create(std::string_view collection, const nlohmann::json& payload);

  static ControlClient& control() { return *control_; }
  static FakeBlinkProcess& server() { return *server_; }

 private:
  static std::unique_ptr<FakeBlinkProcess> server_;
  static std::unique_ptr<HttpClient> client_;
  static std::unique_ptr<ControlClient> control_;
};

// Path of the fake-blink executable under test.
std::string fake_blink_path();

}  // namespace fake_blink::testing
