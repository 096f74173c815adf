// Arrival times of events within a trailing time window.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>

namespace fake_blink {

using SteadyTime = std::chrono::steady_clock::time_point;

class SlidingWindow {
 public:
  explicit SlidingWindow(std::chrono::steady_clock::duration length) : length_(length) {}

  // Records an event at `now`. Times must not decrease between calls.
  void add(SteadyTime now);

  // Returns the number of events in (now - length, now]: an event exactly
  // one length old has left the window.
  std::size_t count(SteadyTime now);

  // Returns how long after `now` the count drops below `limit`, or zero if
  // it already is below. `limit` must be at least 1.
  std::chrono::steady_clock::duration time_until_below(std::size_t limit, SteadyTime now);

  void clear() { events_.clear(); }

 private:
  void expire(SteadyTime now);

  std::chrono::steady_clock::duration length_;
  std::deque<SteadyTime> events_;
};

}  // namespace fake_blink
