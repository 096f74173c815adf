#include "auth_guard.hpp"

#include <gtest/gtest.h>

namespace fake_blink {
namespace {

using namespace std::chrono_literals;

const SteadyTime kStart = SteadyTime{} + 1000s;

TEST(AuthGuard, AcceptsBearerTokenInAnyCase) {
  AuthGuard guard{"secret"};

  EXPECT_EQ(guard.check("Bearer secret", kStart), AuthResult::accepted);
  EXPECT_EQ(guard.check("bearer secret", kStart), AuthResult::accepted);
  EXPECT_EQ(guard.check("BEARER  secret ", kStart), AuthResult::accepted);
}

TEST(AuthGuard, TellsMissingFromInvalid) {
  AuthGuard guard{"secret"};

  EXPECT_EQ(guard.check("", kStart), AuthResult::missing_token);
  EXPECT_EQ(guard.check("Basic c2VjcmV0", kStart), AuthResult::missing_token);
  EXPECT_EQ(guard.check("Bearer wrong", kStart), AuthResult::invalid_token);
  EXPECT_EQ(guard.check("Bearer secretx", kStart), AuthResult::invalid_token);
}

TEST(AuthGuard, FifthFailureLocksOutRightToken) {
  AuthGuard guard{"secret"};
  for (int failure = 0; failure < 5; ++failure) {
    EXPECT_EQ(guard.check("Bearer wrong", kStart + std::chrono::seconds{failure}),
              AuthResult::invalid_token);
  }

  EXPECT_EQ(guard.check("Bearer secret", kStart + 5s), AuthResult::locked_out);
  EXPECT_EQ(guard.check("Bearer secret", kStart + 64s - 1ms), AuthResult::locked_out);
  EXPECT_EQ(guard.check("Bearer secret", kStart + 64s), AuthResult::accepted);
}

TEST(AuthGuard, FailuresOlderThanWindowAreForgotten) {
  AuthGuard guard{"secret"};
  for (int failure = 0; failure < 4; ++failure) {
    guard.check("Bearer wrong", kStart);
  }

  EXPECT_EQ(guard.check("Bearer wrong", kStart + 60s), AuthResult::invalid_token);
  EXPECT_EQ(guard.check("Bearer secret", kStart + 60s), AuthResult::accepted);
}

TEST(AuthGuard, RequestsDuringLockoutDoNotExtendIt) {
  AuthGuard guard{"secret"};
  for (int failure = 0; failure < 5; ++failure) {
    guard.check("Bearer wrong", kStart);
  }
  for (int second = 1; second < 60; ++second) {
    EXPECT_EQ(guard.check("Bearer wrong", kStart + std::chrono::seconds{second}),
              AuthResult::locked_out);
  }

  EXPECT_EQ(guard.check("Bearer secret", kStart + 60s), AuthResult::accepted);
}

TEST(AuthGuard, ClearEndsLockout) {
  AuthGuard guard{"secret"};
  for (int failure = 0; failure < 5; ++failure) {
    guard.check("", kStart);
  }

  guard.clear();

  EXPECT_EQ(guard.check("Bearer secret", kStart), AuthResult::accepted);
}

}  // namespace
}  // namespace fake_blink
