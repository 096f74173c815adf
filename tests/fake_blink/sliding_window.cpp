#include "sliding_window.hpp"

namespace fake_blink {

void SlidingWindow::expire(SteadyTime now) {
  while (!events_.empty() && events_.front() + length_ <= now) {
    events_.pop_front();
  }
}

void SlidingWindow::add(SteadyTime now) {
  expire(now);
  events_.push_back(now);
}

std::size_t SlidingWindow::count(SteadyTime now) {
  expire(now);
  return events_.size();
}

std::chrono::steady_clock::duration SlidingWindow::time_until_below(std::size_t limit,
                                                                    SteadyTime now) {
  expire(now);
  if (events_.size() < limit) {
    return std::chrono::steady_clock::duration::zero();
  }

  // The count drops below `limit` when the event that would leave exactly
  // limit - 1 newer ones behind expires.
  const SteadyTime leaving = events_[events_.size() - limit];
  return leaving + length_ - now;
}

}  // namespace fake_blink
