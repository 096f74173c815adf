// Counters over /v1 requests, reported by GET /_control/stats. Control
// API requests are not counted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rate_limiter.hpp"
#include "sliding_window.hpp"

namespace fake_blink {

class RequestStats {
 public:
  // Counts a /v1 request as it arrives, e.g. ("POST", "staff").
  void record_arrival(std::string_view method, std::string_view entity);

  // Counts a request that passed authentication and the rate limit. These
  // are the requests that the rate limit's window contains.
  void record_admitted(SteadyTime now);

  // Counts the status of a response that was sent.
  void record_status(int status);

  // Counts a response that a fault rule produced or dropped.
  void record_injected_error() { ++injected_errors_; }
  void record_dropped() { ++dropped_; }
  void record_delayed() { ++delayed_; }
  void record_hung() { ++hung_; }

  // Counts a record a POST created, e.g. "staff": each staff creation is a
  // charge to the organisation's card in the real Blink.
  void record_created(std::string_view entity) { ++created_[std::string{entity}]; }

  // Returns {"requests_total", "by_method", "by_endpoint", "by_status",
  // "rate_limited", "unauthorized", "validation_failed", "injected_500",
  // "dropped", "delayed", "hung", "created", "max_in_window"}.
  nlohmann::json to_json() const;

  void clear();

 private:
  std::uint64_t total_ = 0;
  std::map<std::string, std::uint64_t> by_method_;
  std::map<std::string, std::uint64_t> by_endpoint_;
  std::map<int, std::uint64_t> by_status_;
  std::uint64_t injected_errors_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t delayed_ = 0;
  std::uint64_t hung_ = 0;
  std::map<std::string, std::uint64_t> created_;
  SlidingWindow admitted_{kRateWindow};
  std::size_t max_in_window_ = 0;
};

}  // namespace fake_blink
