#pragma once

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

#include "daemon/clock.hpp"

namespace blink_sync::testing {

// A Clock whose time moves only when someone sleeps: sleep_until jumps to
// the deadline at once, so throttling and backoff cost no real time.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(time_point start = time_point(std::chrono::hours(1))) : start_(start), now_(start) {}

  time_point now() const override { return now_; }

  boost::asio::awaitable<bool> sleep_until(time_point deadline) override {
    if (stopped_) {
      co_return false;
    }
    sleeps_.push_back(deadline - now_);
    now_ = std::max(now_, deadline);
    co_return true;
  }

  void stop_waits() override { stopped_ = true; }

  time_point start() const { return start_; }
  duration elapsed() const { return now_ - start_; }

  // The length of every wait requested, in order.
  const std::vector<duration>& sleeps() const { return sleeps_; }

 private:
  time_point start_;
  time_point now_;
  bool stopped_ = false;
  std::vector<duration> sleeps_;
};

}  // namespace blink_sync::testing
