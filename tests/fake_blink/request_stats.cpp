#include "request_stats.hpp"

#include <algorithm>

namespace fake_blink {

void RequestStats::record_arrival(std::string_view method, std::string_view entity) {
  ++total_;
  ++by_method_[std::string{method}];
  ++by_endpoint_[std::string{method} + " " + std::string{entity}];
}

void RequestStats::record_admitted(SteadyTime now) {
  admitted_.add(now);
  max_in_window_ = std::max(max_in_window_, admitted_.count(now));
}

void RequestStats::record_status(int status) { ++by_status_[status]; }

nlohmann::json RequestStats::to_json() const {
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [status, count] : by_status_) {
    by_status[std::to_string(status)] = count;
  }

  const auto status_count = [this](int status) {
    const auto found = by_status_.find(status);
    return found == by_status_.end() ? std::uint64_t{0} : found->second;
  };

  return {
      {"requests_total", total_},
      {"by_method", by_method_},
      {"by_endpoint", by_endpoint_},
      {"by_status", std::move(by_status)},
      {"rate_limited", status_count(429)},
      {"unauthorized", status_count(401)},
      {"validation_failed", status_count(406)},
      {"injected_500", injected_errors_},
      {"dropped", dropped_},
      {"delayed", delayed_},
      {"hung", hung_},
      {"created", created_},
      {"max_in_window", max_in_window_},
  };
}

void RequestStats::clear() { *this = RequestStats{}; }

}  // namespace fake_blink
