#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "client_harness.hpp"

namespace blink_sync::testing {
namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;

nlohmann::json status_body(const std::string& message, unsigned code) {
  return {{"status", {{"message", message}, {"status_code", code}}}};
}

Reply ok_reply() {
  return Reply::json(200, {{"status", {{"message", "Success, Staff Users Attached."}, {"status_code", 200}}},
                           {"data", {{"id", 16}, {"first_name", "Blink"}}}});
}

Reply error_reply(unsigned code, const std::string& message) { return Reply::json(code, status_body(message, code)); }

TEST(BlinkClient, SendsBearerTokenAndJsonHeaders) {
  ClientHarness harness(scripted({ok_reply()}));

  const auto result = harness.call(verb::post, "/staff", nlohmann::json{{"first_name", "New"}});

  ASSERT_TRUE(result.ok());
  ASSERT_EQ(harness.server.requests().size(), 1U);
  const auto& request = harness.server.requests().front();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/v1/staff");
  EXPECT_EQ(request.headers.at("authorization"), "Bearer test-token");
  EXPECT_EQ(request.headers.at("accept"), "application/json");
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  EXPECT_EQ(request.headers.at("host"), "127.0.0.1:" + std::to_string(harness.server.port()));
  EXPECT_EQ(nlohmann::json::parse(request.body), (nlohmann::json{{"first_name", "New"}}));
}

TEST(BlinkClient, ReturnsParsedBodyOnSuccess) {
  ClientHarness harness(scripted({ok_reply()}));

  const auto result = harness.call(verb::get, "/staff/16");

  EXPECT_EQ(result.status, 200U);
  EXPECT_EQ(result.message, "Success, Staff Users Attached.");
  EXPECT_EQ(result.body["data"]["id"], 16);
  EXPECT_FALSE(result.outcome_unknown);
  EXPECT_EQ(harness.client.counts().requests, 1U);
  EXPECT_EQ(harness.client.counts().retries, 0U);
}

TEST(BlinkClient, UnauthorizedThrowsAfterOneRequest) {
  ClientHarness harness(scripted({error_reply(401, "To Many Login Attempts"), ok_reply(), ok_reply()}));

  EXPECT_THROW(harness.call(verb::get, "/staff"), AuthenticationFailed);

  EXPECT_EQ(harness.server.requests().size(), 1U);
  EXPECT_EQ(harness.client.counts().requests, 1U);
}

TEST(BlinkClient, UnauthorizedMessageOmitsToken) {
  ClientSetup setup;
  setup.token = "tok-SECRET-4242";
  ClientHarness harness(scripted({error_reply(401, "To Many Login Attempts")}), setup);

  try {
    harness.call(verb::get, "/staff");
    FAIL() << "expected AuthenticationFailed";
  } catch (const AuthenticationFailed& error) {
    EXPECT_EQ(std::string(error.what()).find("SECRET"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("To Many Login Attempts"), std::string::npos) << error.what();
  }
}

TEST(BlinkClient, UnauthorizedMessageNamesTokenSource) {
  ClientSetup setup;
  setup.token_source = "the BLINK_SYNC_TOKEN environment variable";
  ClientHarness harness(scripted({error_reply(401, "Unauthorized")}), setup);

  try {
    harness.call(verb::get, "/staff");
    FAIL() << "expected AuthenticationFailed";
  } catch (const AuthenticationFailed& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("the BLINK_SYNC_TOKEN environment variable"), std::string::npos) << message;
    EXPECT_EQ(message.find("token_file"), std::string::npos) << message;
  }
}

TEST(BlinkClient, TooManyRequestsHonoursRetryAfter) {
  auto denied = error_reply(429, "Too Many Requests");
  denied.headers.emplace_back("Retry-After", "7");
  ClientHarness harness(scripted({denied, ok_reply()}));

  const auto result = harness.call(verb::post, "/staff", nlohmann::json{{"first_name", "New"}});

  EXPECT_TRUE(result.ok());
  EXPECT_EQ(harness.server.requests().size(), 2U);
  EXPECT_EQ(harness.client.counts().requests, 2U);
  EXPECT_EQ(harness.client.counts().denied, 1U);
  EXPECT_EQ(harness.client.counts().retries, 1U);
  EXPECT_GE(harness.clock.elapsed(), 7s);
  bool waited_for_retry_after = false;
  for (const auto wait : harness.clock.sleeps()) {
    waited_for_retry_after = waited_for_retry_after || wait >= 7s;
  }
  EXPECT_TRUE(waited_for_retry_after);
}

TEST(BlinkClient, TooManyRequestsReturnedAfterLastAttempt) {
  ClientSetup setup;
  setup.max_attempts = 2;
  ClientHarness harness(scripted({error_reply(429, "Too Many Requests"), error_reply(429, "Too Many Requests")}),
                        setup);

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 429U);
  EXPECT_EQ(harness.server.requests().size(), 2U);
  EXPECT_EQ(harness.client.counts().denied, 2U);
}

TEST(BlinkClient, ServerErrorOnGetRetriedUntilSuccess) {
  ClientHarness harness(scripted({error_reply(500, "Internal Server Error"),
                                  error_reply(500, "Internal Server Error"), ok_reply()}));

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_TRUE(result.ok());
  EXPECT_FALSE(result.outcome_unknown);
  EXPECT_EQ(harness.server.requests().size(), 3U);
  EXPECT_EQ(harness.client.counts().retries, 2U);
  // Backoff from 1 s doubling: 1 s + 2 s of fake time at least.
  EXPECT_GE(harness.clock.elapsed(), 3s);
}

TEST(BlinkClient, ServerErrorOnGetReturnedAfterLastAttempt) {
  ClientHarness harness(scripted({error_reply(500, "first"), error_reply(500, "second"), error_reply(500, "third")}));

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 500U);
  EXPECT_EQ(result.message, "third");
  EXPECT_EQ(harness.server.requests().size(), 3U);
}

TEST(BlinkClient, ServerErrorOnPostNotRetried) {
  ClientHarness harness(scripted({error_reply(500, "Internal Server Error"), ok_reply()}));

  const auto result = harness.call(verb::post, "/staff", nlohmann::json{{"first_name", "New"}});

  EXPECT_EQ(result.status, 500U);
  EXPECT_TRUE(result.outcome_unknown);
  EXPECT_EQ(result.message, "Internal Server Error");
  EXPECT_EQ(harness.server.requests().size(), 1U);
}

TEST(BlinkClient, ServerErrorOnPutRetried) {
  ClientHarness harness(scripted({error_reply(500, "Internal Server Error"), ok_reply()}));

  const auto result = harness.call(verb::put, "/staff/16", nlohmann::json{{"phone", "555"}});

  EXPECT_TRUE(result.ok());
  EXPECT_EQ(harness.server.requests().size(), 2U);
  EXPECT_EQ(harness.server.requests()[1].method, "PUT");
  EXPECT_EQ(harness.server.requests()[1].body, harness.server.requests()[0].body);
}

TEST(BlinkClient, ValidationErrorReturnedAsValue) {
  ClientHarness harness(scripted({error_reply(406, "Email must be unique"), ok_reply()}));

  const auto result = harness.call(verb::post, "/staff", nlohmann::json{{"email", "x"}});

  EXPECT_EQ(result.status, 406U);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.message, "Email must be unique");
  EXPECT_FALSE(result.outcome_unknown);
  EXPECT_EQ(harness.server.requests().size(), 1U);
}

TEST(BlinkClient, NotFoundReturnedAsValue) {
  ClientHarness harness(scripted({error_reply(404, "No Data Found")}));

  const auto result = harness.call(verb::delete_, "/students/951");

  EXPECT_EQ(result.status, 404U);
  EXPECT_EQ(result.message, "No Data Found");
  EXPECT_EQ(harness.server.requests().size(), 1U);
}

TEST(BlinkClient, ErrorWithoutStatusMessageNamesCode) {
  Reply reply;
  reply.status = 403;
  reply.body = "<html>Forbidden</html>";
  ClientHarness harness(scripted({reply}));

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 403U);
  EXPECT_TRUE(result.body.is_null());
  EXPECT_NE(result.message.find("403"), std::string::npos) << result.message;
}

TEST(BlinkClient, ConnectionClosedOnPostMakesOutcomeUnknown) {
  ClientHarness harness(scripted({Reply::close_without_answer(), ok_reply()}));

  const auto result = harness.call(verb::post, "/staff", nlohmann::json{{"first_name", "New"}});

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(result.outcome_unknown);
  EXPECT_FALSE(result.message.empty());
  EXPECT_EQ(harness.server.requests().size(), 1U);
}

TEST(BlinkClient, ConnectionClosedOnGetRetried) {
  ClientHarness harness(scripted({Reply::close_without_answer(), ok_reply()}));

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_TRUE(result.ok());
  EXPECT_EQ(harness.server.requests().size(), 2U);
  EXPECT_EQ(harness.server.connections(), 2U);
}

TEST(BlinkClient, ConnectRefusedPostRetriedAsNotSent) {
  ClientSetup setup;
  setup.base_url = "http://127.0.0.1:" + std::to_string(unused_loopback_port()) + "/v1";
  ClientHarness harness(scripted({}), setup);

  const auto result = harness.call(verb::post, "/staff", nlohmann::json{{"first_name", "New"}});

  EXPECT_EQ(result.status, 0U);
  EXPECT_FALSE(result.outcome_unknown);
  EXPECT_NE(result.message.find("cannot connect"), std::string::npos) << result.message;
  EXPECT_EQ(harness.client.counts().requests, 3U);
  EXPECT_EQ(harness.client.counts().retries, 2U);
}

TEST(BlinkClient, KeepAliveReusesOneConnection) {
  ClientHarness harness(scripted({ok_reply(), ok_reply(), ok_reply(), ok_reply()}));

  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(harness.call(verb::get, "/staff").ok());
  }

  EXPECT_EQ(harness.server.requests().size(), 4U);
  EXPECT_EQ(harness.server.connections(), 1U);
}

TEST(BlinkClient, ConnectionCloseOpensNewConnection) {
  auto closing = ok_reply();
  closing.close_after = true;
  ClientHarness harness(scripted({closing, ok_reply(), ok_reply()}));

  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(harness.call(verb::get, "/staff").ok());
  }

  EXPECT_EQ(harness.server.connections(), 2U);
  EXPECT_EQ(harness.server.requests()[0].connection, 1U);
  EXPECT_EQ(harness.server.requests()[1].connection, 2U);
  EXPECT_EQ(harness.server.requests()[2].connection, 2U);
}

TEST(BlinkClient, OversizedResponseRejected) {
  ClientSetup setup;
  setup.max_response_bytes = 1024;
  setup.max_attempts = 1;
  Reply large;
  large.body = nlohmann::json{{"data", std::string(4096, 'x')}}.dump();
  ClientHarness harness(scripted({large}), setup);

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 0U);
  EXPECT_NE(result.message.find("larger than the limit of 1024 bytes"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("blink.max_response_mb"), std::string::npos) << result.message;
}

TEST(BlinkClient, OversizedResponseOnGetNotRetried) {
  ClientSetup setup;
  setup.max_response_bytes = 1024;
  setup.max_attempts = 5;
  Reply large;
  large.body = nlohmann::json{{"data", std::string(4096, 'x')}}.dump();
  ClientHarness harness(scripted({large, ok_reply()}), setup);

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 0U);
  EXPECT_NE(result.message.find("larger than the limit"), std::string::npos) << result.message;
  EXPECT_EQ(harness.server.requests().size(), 1U);
  EXPECT_EQ(harness.client.counts().retries, 0U);
}

TEST(BlinkClient, OversizedHeadersNotRetried) {
  ClientSetup setup;
  setup.max_attempts = 5;
  auto padded = ok_reply();
  padded.headers.emplace_back("X-Padding", std::string(10000, 'p'));
  ClientHarness harness(scripted({padded, ok_reply()}), setup);

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 0U);
  EXPECT_NE(result.message.find("response headers are larger than the limit of 8192 bytes"), std::string::npos)
      << result.message;
  EXPECT_EQ(harness.server.requests().size(), 1U);
}

TEST(BlinkClient, ResponseAtLimitAccepted) {
  ClientSetup setup;
  setup.max_response_bytes = 1024;
  Reply exact = ok_reply();
  exact.body.append(1024 - exact.body.size(), ' ');
  ClientHarness harness(scripted({exact}), setup);

  const auto result = harness.call(verb::get, "/staff/16");

  EXPECT_EQ(result.status, 200U);
  EXPECT_EQ(result.body["data"]["id"], 16);
}

TEST(BlinkClient, RequestTimesOutWithoutAnswer) {
  ClientSetup setup;
  setup.request_timeout = 1s;
  setup.max_attempts = 1;
  ClientHarness harness(scripted({Reply::never_answer()}), setup);

  const auto started = std::chrono::steady_clock::now();
  const auto result = harness.call(verb::get, "/staff");
  const auto waited = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(result.outcome_unknown);
  EXPECT_NE(result.message.find("no complete response within 1 s"), std::string::npos) << result.message;
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 3s);
}

TEST(BlinkClient, DeeplyNestedBodyLeftUnparsed) {
  Reply nested;
  nested.body = std::string(300000, '[') + std::string(300000, ']');
  ClientHarness harness(scripted({nested}));

  const auto result = harness.call(verb::get, "/staff");

  EXPECT_EQ(result.status, 200U);
  EXPECT_TRUE(result.body.is_null());
  EXPECT_NE(result.message.find("deeper than 64 levels"), std::string::npos) << result.message;
}

// A peer that sends a byte now and then never trips an idle timeout; only a
// deadline for the whole response cuts it off.
TEST(BlinkClient, TrickledHeadersCutOffByDeadline) {
  ClientSetup setup;
  setup.request_timeout = 1s;
  setup.max_attempts = 1;
  ClientHarness harness(scripted({Reply::trickled(ok_reply(), 100ms)}), setup);

  const auto started = std::chrono::steady_clock::now();
  const auto result = harness.call(verb::get, "/staff");
  const auto waited = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(result.status, 0U);
  EXPECT_NE(result.message.find("no complete response within 1 s"), std::string::npos) << result.message;
  EXPECT_LT(waited, 4s);
}

TEST(BlinkClient, TrickledBodyCutOffByDeadline) {
  ClientSetup setup;
  setup.request_timeout = 1s;
  setup.max_attempts = 1;
  // The headers (about 100 bytes) arrive within half a second, the body of
  // 4000 bytes would take 20 s.
  auto slow = ok_reply();
  slow.body = nlohmann::json{{"data", std::string(4000, 'x')}}.dump();
  ClientHarness harness(scripted({Reply::trickled(slow, 5ms)}), setup);

  const auto started = std::chrono::steady_clock::now();
  const auto result = harness.call(verb::get, "/staff");
  const auto waited = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(result.status, 0U);
  EXPECT_NE(result.message.find("no complete response within 1 s"), std::string::npos) << result.message;
  EXPECT_LT(waited, 4s);
}

TEST(BlinkClient, ThrottleWaitsOnFakeClock) {
  ClientSetup setup;
  setup.requests_per_minute = 60;
  ClientHarness harness(scripted({ok_reply(), ok_reply(), ok_reply()}), setup);

  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(harness.call(verb::get, "/staff").ok());
  }

  // The bucket starts empty and earns one token per (60 s + 0.5 s) / 59.
  EXPECT_GE(harness.clock.elapsed(), 3 * harness.bucket.interval());
  EXPECT_LT(harness.clock.elapsed(), 4 * harness.bucket.interval());
}

TEST(BlinkClient, StoppedClockInterruptsCall) {
  ClientHarness harness(scripted({ok_reply()}));
  harness.clock.stop_waits();

  EXPECT_THROW(harness.call(verb::get, "/staff"), Interrupted);
  EXPECT_TRUE(harness.server.requests().empty());
}

}  // namespace
}  // namespace blink_sync::testing
