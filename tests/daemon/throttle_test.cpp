#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "daemon/throttle.hpp"

namespace blink_sync {
namespace {

using namespace std::chrono_literals;
using time_point = TokenBucket::clock::time_point;

constexpr std::size_t kRequests = 10000;
constexpr auto kWindow = std::chrono::seconds(60);

struct LimitCase {
  int requests_per_minute;
  int burst;
};

constexpr LimitCase kLimitCases[] = {{60, 1}, {60, 10}, {600, 1}, {5, 4}};

TokenBucket::Limits limits_of(const LimitCase& limit_case) {
  TokenBucket::Limits limits;
  limits.requests_per_window = limit_case.requests_per_minute;
  limits.burst = limit_case.burst;
  return limits;
}

std::string describe(const LimitCase& limit_case) {
  return std::to_string(limit_case.requests_per_minute) + "/" + std::to_string(limit_case.burst);
}

// Takes `count` tokens, each as soon as the bucket allows, starting at `now`.
// Returns the time of every request.
std::vector<time_point> drive_at_full_speed(TokenBucket& bucket, time_point now, std::size_t count) {
  std::vector<time_point> times;
  for (std::size_t i = 0; i < count; ++i) {
    now = bucket.next_allowed(now);
    bucket.take(now);
    times.push_back(now);
  }
  return times;
}

// Like drive_at_full_speed, but now and then idles long enough for the
// bucket to fill, so that bursts happen.
std::vector<time_point> drive_with_idle_gaps(TokenBucket& bucket, time_point now, std::size_t count,
                                             std::mt19937& random) {
  std::uniform_int_distribution<int> pause_percent(0, 100);
  std::vector<time_point> times;
  for (std::size_t i = 0; i < count; ++i) {
    const int roll = pause_percent(random);
    if (roll < 5) {
      now += bucket.interval() * (roll * 4);  // up to 16 intervals idle
    }
    now = bucket.next_allowed(now);
    bucket.take(now);
    times.push_back(now);
  }
  return times;
}

// Returns the largest number of requests in any closed window [t, t + 60 s].
// `times` must be sorted.
std::size_t max_in_any_window(const std::vector<time_point>& times) {
  std::size_t max_count = 0;
  std::size_t last = 0;
  for (std::size_t first = 0; first < times.size(); ++first) {
    last = std::max(last, first);
    while (last + 1 < times.size() && times[last + 1] - times[first] <= kWindow) {
      ++last;
    }
    max_count = std::max(max_count, last - first + 1);
  }
  return max_count;
}

TEST(Throttle, NeverExceedsLimitInAnyWindow) {
  for (const auto& limit_case : kLimitCases) {
    TokenBucket bucket(limits_of(limit_case), time_point{});
    const auto times = drive_at_full_speed(bucket, time_point{}, kRequests);

    EXPECT_LE(max_in_any_window(times), static_cast<std::size_t>(limit_case.requests_per_minute))
        << describe(limit_case);
  }
}

TEST(Throttle, NeverExceedsLimitWithBursts) {
  std::mt19937 random(20240611);
  for (const auto& limit_case : kLimitCases) {
    TokenBucket bucket(limits_of(limit_case), time_point{});
    const auto times = drive_with_idle_gaps(bucket, time_point{}, kRequests, random);

    EXPECT_LE(max_in_any_window(times), static_cast<std::size_t>(limit_case.requests_per_minute))
        << describe(limit_case);
  }
}

TEST(Throttle, BurstAllowedAfterIdle) {
  TokenBucket bucket(limits_of({60, 10}), time_point{});
  const auto later = time_point{} + 10min;

  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(bucket.next_allowed(later), later) << "request " << i;
    bucket.take(later);
  }
  EXPECT_GT(bucket.next_allowed(later), later);
}

TEST(Throttle, SustainedRateNearLimit) {
  TokenBucket bucket(limits_of({60, 1}), time_point{});
  const auto times = drive_at_full_speed(bucket, time_point{}, kRequests);

  const auto span = std::chrono::duration<double>(times.back() - times.front());
  const double per_minute = static_cast<double>(times.size() - 1) / (span.count() / 60.0);
  EXPECT_GE(per_minute, 0.97 * 60) << per_minute;
  EXPECT_LE(per_minute, 60.0) << per_minute;
}

TEST(Throttle, IntervalRoundedUp) {
  TokenBucket bucket(limits_of({60, 1}), time_point{});

  // (60 s + 0.5 s) / 59 earned tokens, rounded up to whole nanoseconds.
  const auto span = std::chrono::duration_cast<TokenBucket::clock::duration>(60500ms);
  EXPECT_GE(bucket.interval() * 59, span);
  EXPECT_LT((bucket.interval() - TokenBucket::clock::duration(1)) * 59, span);
}

TEST(Throttle, StartsEmpty) {
  for (const auto& limit_case : kLimitCases) {
    const auto start = time_point{} + 1h;
    TokenBucket bucket(limits_of(limit_case), start);

    EXPECT_GE(bucket.next_allowed(start), start + bucket.interval()) << describe(limit_case);
  }
}

TEST(Throttle, RestartKeepsUnionUnderLimit) {
  std::mt19937 random(7);
  for (const auto& limit_case : kLimitCases) {
    // The first process ends with a full burst right before it exits.
    TokenBucket first(limits_of(limit_case), time_point{});
    auto times = drive_with_idle_gaps(first, time_point{}, 500, random);
    const auto idle_until = times.back() + first.interval() * (limit_case.burst * 2);
    const auto burst = drive_at_full_speed(first, idle_until, static_cast<std::size_t>(limit_case.burst));
    times.insert(times.end(), burst.begin(), burst.end());

    // The second process starts right after the first one's last request.
    TokenBucket second(limits_of(limit_case), times.back());
    const auto after = drive_at_full_speed(second, times.back(), 500);
    times.insert(times.end(), after.begin(), after.end());

    EXPECT_LE(max_in_any_window(times), static_cast<std::size_t>(limit_case.requests_per_minute))
        << describe(limit_case);
  }
}

}  // namespace
}  // namespace blink_sync
