// Bearer-token check with the document's lock-out: "API requests which
// fail based on invalid api_token ... are throttled. You are allowed 5
// requests until throttling kicks in and will be throttled for 60 seconds."
//
// The fifth failure within 60 seconds starts a 60-second lock-out during
// which every request fails, even with the right token. Requests during
// the lock-out do not extend it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sliding_window.hpp"

namespace fake_blink {

inline constexpr std::size_t kMaxFailedAuthentications = 5;
inline constexpr std::chrono::seconds kFailureWindow{60};
inline constexpr std::chrono::seconds kLockoutDuration{60};

enum class AuthResult { accepted, missing_token, invalid_token, locked_out };

class AuthGuard {
 public:
  explicit AuthGuard(std::string token) : token_(std::move(token)) {}

  // Checks an Authorization header value ("Bearer TOKEN", the scheme in any
  // case) at `now` and records a failure when the token is missing or wrong.
  AuthResult check(std::string_view authorization, SteadyTime now);

  // Ends any lock-out and clears past failures.
  void clear();

 private:
  std::string token_;
  SlidingWindow failures_{kFailureWindow};
  std::optional<SteadyTime> locked_until_;
};

}  // namespace fake_blink
