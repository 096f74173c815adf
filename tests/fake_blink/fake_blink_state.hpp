// Everything the fake server keeps between requests.
#pragma once

#include <string>

#include "auth_guard.hpp"
#include "fault_injector.hpp"
#include "rate_limiter.hpp"
#include "report_rows.hpp"
#include "request_stats.hpp"
#include "store.hpp"

namespace fake_blink {

struct FakeBlinkState {
  FakeBlinkState(std::string token, std::size_t rate_limit)
      : auth(std::move(token)), rate_limiter(rate_limit) {}

  Store store;
  AuthGuard auth;
  RateLimiter rate_limiter;
  FaultInjector faults;
  RequestStats stats;
  ReportRows reports;  // seeded through /_control/reports, apart from the store
};

}  // namespace fake_blink
