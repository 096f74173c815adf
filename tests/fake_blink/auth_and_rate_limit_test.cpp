// Token check, lock-out and rate limit of the running server.
#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

class AuthTest : public FakeBlinkTest {};

TEST_F(AuthTest, MissingTokenIs401) {
  const HttpResponse response = api_with_authorization("GET", "/v1/staff", "");

  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.json()["status"]["status_code"], 401);
}

TEST_F(AuthTest, WrongTokenIs401) {
  const HttpResponse response = api_with_authorization("GET", "/v1/staff", "Bearer nope");

  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.json()["status"]["message"], "Unauthenticated: invalid API token");
}

TEST_F(AuthTest, FiveFailuresLockOutRightToken) {
  for (int failure = 0; failure < 5; ++failure) {
    EXPECT_EQ(api_with_authorization("GET", "/v1/staff", "Bearer nope").status, 401);
  }

  const HttpResponse locked = api("GET", "/v1/staff");

  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(locked.json()["status"]["message"], "Too Many Login Attempts");
  EXPECT_EQ(control().stats()["unauthorized"], 6);
}

TEST_F(AuthTest, FourFailuresDoNotLockOut) {
  for (int failure = 0; failure < 4; ++failure) {
    EXPECT_EQ(api_with_authorization("GET", "/v1/staff", "").status, 401);
  }

  EXPECT_EQ(api("GET", "/v1/staff").status, 200);
}

TEST_F(AuthTest, ResetEndsLockout) {
  for (int failure = 0; failure < 5; ++failure) {
    api_with_authorization("GET", "/v1/staff", "Bearer nope");
  }

  control().reset();

  EXPECT_EQ(api("GET", "/v1/staff").status, 200);
}

TEST_F(AuthTest, UnauthorizedRequestChangesNothing) {
  HttpClient client{server().host(), server().port()};
  const HttpResponse response = client.request(
      "POST", "/v1/students", student_payload("Ann", "Lee").dump(), {{"Authorization", "Bearer x"}});

  EXPECT_EQ(response.status, 401);
  EXPECT_TRUE(control().state()["students"].empty());
}

// Each test starts its own server limited to 3 requests a minute.
class RateLimitTest : public ::testing::Test {
 protected:
  RateLimitTest()
      : server_(fake_blink_path(), {"--token", std::string{kToken}, "--rate-limit", "3"}),
        client_(server_.host(), server_.port()),
        control_(server_.port(), server_.host()) {}

  HttpResponse get(std::string_view target) {
    return client_.request("GET", target, {}, {{"Authorization", "Bearer " + std::string{kToken}}});
  }

  FakeBlinkProcess server_;
  HttpClient client_;
  ControlClient control_;
};

TEST_F(RateLimitTest, FourthRequestInWindowIs429) {
  EXPECT_EQ(get("/v1/staff").status, 200);
  control_.stats();
  EXPECT_EQ(get("/v1/students").status, 200);
  control_.state();
  EXPECT_EQ(get("/v1/student-logins").status, 200);
  control_.stats();

  const HttpResponse denied = get("/v1/staff");

  EXPECT_EQ(denied.status, 429);
  EXPECT_EQ(denied.json()["status"]["status_code"], 429);
  EXPECT_EQ(denied.json()["status"]["message"], "Too many requests: limit is 3 per minute");
  const int retry_after = std::stoi(denied.header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
}

TEST_F(RateLimitTest, StatsCountDenialsAndWindow) {
  for (int request = 0; request < 5; ++request) {
    get("/v1/staff");
  }

  const nlohmann::json stats = control_.stats();

  EXPECT_EQ(stats["requests_total"], 5);
  EXPECT_EQ(stats["rate_limited"], 2);
  EXPECT_EQ(stats["max_in_window"], 3);
}

TEST_F(RateLimitTest, ControlCallsAreNotLimited) {
  for (int request = 0; request < 3; ++request) {
    get("/v1/staff");
  }

  for (int call = 0; call < 10; ++call) {
    EXPECT_NO_THROW(control_.stats());
  }
  EXPECT_EQ(control_.stats()["requests_total"], 3);
}

TEST_F(RateLimitTest, RuntimeLimitChangeApplies) {
  for (int request = 0; request < 3; ++request) {
    get("/v1/staff");
  }

  control_.set_rate_limit(5);
  EXPECT_EQ(get("/v1/staff").status, 200);
  EXPECT_EQ(get("/v1/staff").status, 200);
  EXPECT_EQ(get("/v1/staff").status, 429);

  control_.set_rate_limit(0);
  EXPECT_EQ(get("/v1/staff").status, 200);
}

TEST_F(RateLimitTest, UnauthorizedRequestsDoNotUseSlots) {
  client_.request("GET", "/v1/staff", {}, {{"Authorization", "Bearer nope"}});
  client_.request("GET", "/v1/staff", {}, {{"Authorization", "Bearer nope"}});

  EXPECT_EQ(get("/v1/staff").status, 200);
  EXPECT_EQ(get("/v1/staff").status, 200);
  EXPECT_EQ(get("/v1/staff").status, 200);
}

}  // namespace
}  // namespace fake_blink::testing
