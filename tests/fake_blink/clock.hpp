// Source of time, passed in so that tests of the request handling can
// control it.
#pragma once

#include <chrono>

#include "records.hpp"
#include "sliding_window.hpp"

namespace fake_blink {

class Clock {
 public:
  virtual ~Clock() = default;

  // Monotonic time for the rate limit and the authentication lock-out.
  virtual SteadyTime steady_now() const = 0;

  // Wall-clock time for created_at and updated_at.
  virtual Timestamp wall_now() const = 0;
};

class SystemClock final : public Clock {
 public:
  SteadyTime steady_now() const override { return std::chrono::steady_clock::now(); }

  Timestamp wall_now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

}  // namespace fake_blink
