#include "auth_guard.hpp"

#include "payload.hpp"
#include "store.hpp"

namespace fake_blink {
namespace {

// Returns the token of a "Bearer TOKEN" header, or nullopt for any other shape.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      to_lower_ascii(authorization.substr(0, kScheme.size())) != kScheme) {
    return std::nullopt;
  }
  return trim_spaces(authorization.substr(kScheme.size()));
}

}  // namespace

AuthResult AuthGuard::check(std::string_view authorization, SteadyTime now) {
  if (locked_until_ && now < *locked_until_) {
    return AuthResult::locked_out;
  }
  locked_until_.reset();

  const auto token = bearer_token(authorization);
  if (token && *token == token_) {
    return AuthResult::accepted;
  }

  failures_.add(now);
  if (failures_.count(now) >= kMaxFailedAuthentications) {
    locked_until_ = now + kLockoutDuration;
    failures_.clear();
  }
  return token ? AuthResult::invalid_token : AuthResult::missing_token;
}

void AuthGuard::clear() {
  failures_.clear();
  locked_until_.reset();
}

}  // namespace fake_blink
