#include <gtest/gtest.h>

#include <chrono>

#include "daemon/retry_policy.hpp"

namespace blink_sync {
namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;

constexpr AttemptFailure kAllFailures[] = {AttemptFailure::denied, AttemptFailure::server_error,
                                           AttemptFailure::not_sent, AttemptFailure::no_response};

RetryPolicy policy(int max_attempts = 5) {
  RetryPolicy retry;
  retry.max_attempts = max_attempts;
  retry.initial_delay = 1000ms;
  retry.max_delay = 60000ms;
  return retry;
}

TEST(RetryPolicy, PostRetriedOnlyWhenNotApplied) {
  const auto retry = policy();

  EXPECT_TRUE(retry.may_retry(verb::post, AttemptFailure::denied, 1));
  EXPECT_TRUE(retry.may_retry(verb::post, AttemptFailure::not_sent, 1));
  EXPECT_FALSE(retry.may_retry(verb::post, AttemptFailure::server_error, 1));
  EXPECT_FALSE(retry.may_retry(verb::post, AttemptFailure::no_response, 1));
}

TEST(RetryPolicy, IdempotentMethodsRetriedOnEveryFailure) {
  const auto retry = policy();

  for (const auto method : {verb::get, verb::put, verb::delete_}) {
    for (const auto failure : kAllFailures) {
      EXPECT_TRUE(retry.may_retry(method, failure, 1))
          << boost::beast::http::to_string(method) << " failure " << static_cast<int>(failure);
    }
  }
}

TEST(RetryPolicy, StopsAtMaxAttempts) {
  const auto retry = policy(3);

  for (const auto failure : kAllFailures) {
    EXPECT_TRUE(retry.may_retry(verb::get, failure, 2));
    EXPECT_FALSE(retry.may_retry(verb::get, failure, 3));
    EXPECT_FALSE(retry.may_retry(verb::get, failure, 4));
  }
  EXPECT_TRUE(retry.may_retry(verb::post, AttemptFailure::denied, 2));
  EXPECT_FALSE(retry.may_retry(verb::post, AttemptFailure::denied, 3));
}

TEST(RetryPolicy, SingleAttemptNeverRetried) {
  const auto retry = policy(1);

  for (const auto failure : kAllFailures) {
    EXPECT_FALSE(retry.may_retry(verb::get, failure, 1));
  }
}

TEST(RetryPolicy, DelayDoublesUpToMax) {
  const auto retry = policy();

  EXPECT_EQ(retry.delay(1, std::nullopt, 1.0), 1000ms);
  EXPECT_EQ(retry.delay(2, std::nullopt, 1.0), 2000ms);
  EXPECT_EQ(retry.delay(3, std::nullopt, 1.0), 4000ms);
  EXPECT_EQ(retry.delay(6, std::nullopt, 1.0), 32000ms);
  EXPECT_EQ(retry.delay(7, std::nullopt, 1.0), 60000ms);
  EXPECT_EQ(retry.delay(8, std::nullopt, 1.0), 60000ms);
  EXPECT_EQ(retry.delay(1000, std::nullopt, 1.0), 60000ms);
}

TEST(RetryPolicy, JitterScalesBetweenHalfAndWhole) {
  const auto retry = policy();

  EXPECT_EQ(retry.delay(3, std::nullopt, 0.5), 2000ms);
  EXPECT_EQ(retry.delay(3, std::nullopt, 0.75), 3000ms);
  for (const double jitter : {-1.0, 0.0, 0.2, 0.5, 0.9, 1.0, 1.5, 100.0}) {
    for (int attempt = 1; attempt <= 10; ++attempt) {
      const auto full = retry.delay(attempt, std::nullopt, 1.0);
      const auto jittered = retry.delay(attempt, std::nullopt, jitter);
      EXPECT_GE(jittered, full / 2) << "jitter " << jitter << " attempt " << attempt;
      EXPECT_LE(jittered, full) << "jitter " << jitter << " attempt " << attempt;
    }
  }
}

TEST(RetryPolicy, RetryAfterRespected) {
  const auto retry = policy();

  EXPECT_EQ(retry.delay(1, 7s, 1.0), 7000ms);
  EXPECT_EQ(retry.delay(1, 7s, 0.5), 7000ms);
  // A Retry-After longer than max_delay still wins over the backoff.
  EXPECT_EQ(retry.delay(8, 120s, 1.0), 120000ms);
  // A backoff longer than Retry-After is kept.
  EXPECT_EQ(retry.delay(5, 1s, 1.0), 16000ms);
  EXPECT_EQ(retry.delay(1, 0s, 1.0), 1000ms);
}

}  // namespace
}  // namespace blink_sync
