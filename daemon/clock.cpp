#include "daemon/clock.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace blink_sync {

namespace asio = boost::asio;

asio::awaitable<bool> SteadyClock::sleep_until(time_point deadline) {
  if (stopped_) {
    co_return false;
  }
  asio::steady_timer timer(executor_, deadline);
  const auto registration = waiting_.insert(waiting_.end(), &timer);
  boost::system::error_code error;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
  waiting_.erase(registration);
  co_return error != asio::error::operation_aborted;
}

void SteadyClock::stop_waits() {
  stopped_ = true;
  for (auto* timer : waiting_) {
    timer->cancel();
  }
}

}  // namespace blink_sync
