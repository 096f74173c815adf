#include "rate_limiter.hpp"

#include <gtest/gtest.h>

namespace fake_blink {
namespace {

using namespace std::chrono_literals;

const SteadyTime kStart = SteadyTime{} + 1000s;

TEST(RateLimiter, AdmitsUpToLimitThenDenies) {
  RateLimiter limiter{3};

  EXPECT_FALSE(limiter.try_admit(kStart));
  EXPECT_FALSE(limiter.try_admit(kStart + 1s));
  EXPECT_FALSE(limiter.try_admit(kStart + 2s));
  const auto retry_after = limiter.try_admit(kStart + 3s);

  ASSERT_TRUE(retry_after);
  EXPECT_EQ(*retry_after, 57s);
}

TEST(RateLimiter, SlotFreesExactlySixtySecondsAfterOldest) {
  RateLimiter limiter{2};
  limiter.try_admit(kStart);
  limiter.try_admit(kStart + 10s);

  const auto just_before = limiter.try_admit(kStart + 60s - 1ms);
  ASSERT_TRUE(just_before);
  EXPECT_EQ(*just_before, 1s);

  EXPECT_FALSE(limiter.try_admit(kStart + 60s));
  EXPECT_TRUE(limiter.try_admit(kStart + 60s));
}

TEST(RateLimiter, RetryAfterRoundsUpToWholeSeconds) {
  RateLimiter limiter{1};
  limiter.try_admit(kStart);

  const auto retry_after = limiter.try_admit(kStart + 30500ms);

  ASSERT_TRUE(retry_after);
  EXPECT_EQ(*retry_after, 30s);
}

TEST(RateLimiter, DeniedRequestsDoNotCount) {
  RateLimiter limiter{1};
  limiter.try_admit(kStart);
  for (int attempt = 1; attempt <= 10; ++attempt) {
    EXPECT_TRUE(limiter.try_admit(kStart + std::chrono::seconds{attempt}));
  }

  EXPECT_FALSE(limiter.try_admit(kStart + 60s));
}

TEST(RateLimiter, ZeroLimitAdmitsEverything) {
  RateLimiter limiter{0};
  for (int request = 0; request < 1000; ++request) {
    EXPECT_FALSE(limiter.try_admit(kStart));
  }
}

TEST(RateLimiter, LoweredLimitWaitsForEnoughExpiries) {
  RateLimiter limiter{4};
  for (int request = 0; request < 4; ++request) {
    limiter.try_admit(kStart + std::chrono::seconds{request * 10});
  }

  limiter.set_limit(2);
  const auto retry_after = limiter.try_admit(kStart + 35s);

  // Requests at 0 s, 10 s and 20 s must expire to leave one, below the limit of 2.
  ASSERT_TRUE(retry_after);
  EXPECT_EQ(*retry_after, 45s);
  EXPECT_FALSE(limiter.try_admit(kStart + 80s));
}

}  // namespace
}  // namespace fake_blink
