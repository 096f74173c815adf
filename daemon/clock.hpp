#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <list>

namespace blink_sync {

// Time for the throttle, retries and the poll loop, passed in so tests can
// run them on a fake clock without waiting.
class Clock {
 public:
  using duration = std::chrono::steady_clock::duration;
  using time_point = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual time_point now() const = 0;

  // Waits until `deadline`. Returns false, at once or early, after
  // stop_waits(), so the caller can stop instead of going on.
  virtual boost::asio::awaitable<bool> sleep_until(time_point deadline) = 0;

  // Ends every current wait early and makes every later wait return false
  // at once (shutdown).
  virtual void stop_waits() = 0;
};

// The real clock: std::chrono::steady_clock and Asio timers. Waits run on
// the executor given; call from that executor's thread only.
class SteadyClock final : public Clock {
 public:
  explicit SteadyClock(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

  time_point now() const override { return std::chrono::steady_clock::now(); }
  boost::asio::awaitable<bool> sleep_until(time_point deadline) override;
  void stop_waits() override;

 private:
  boost::asio::any_io_executor executor_;
  bool stopped_ = false;
  std::list<boost::asio::steady_timer*> waiting_;
};

}  // namespace blink_sync
