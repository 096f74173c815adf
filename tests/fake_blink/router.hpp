// Request handling of the fake Blink server, free of any network code.
//
// A /v1 request passes, in order: the token check with its lock-out, the
// rate limit, the armed fault rules, and its endpoint. Requests under
// /_control/ skip all of these and are not counted.
#pragma once

#include <random>
#include <string>

#include "clock.hpp"
#include "fake_blink_state.hpp"
#include "http_types.hpp"
#include "request_target.hpp"

namespace fake_blink {

struct RouterOptions {
  std::string token;  // the one valid API token
  std::size_t rate_limit = 60;  // requests per sliding 60 s; 0 disables the limit
  // Prefix of generated join_by_link URLs, e.g. "http://127.0.0.1:8080/joinsession/".
  std::string join_link_base;
};

// Not thread-safe: call from one thread, which the server's io_context is.
class Router {
 public:
  // `clock` must outlive the router.
  Router(RouterOptions options, const Clock& clock);

  // Returns the response to `request`. Expected failures are responses
  // (401, 404, 405, 406, 429 and injected faults); an exception means a bug.
  Response handle(const Request& request);

 private:
  Response handle_api(const Request& request, const RequestTarget& target);
  std::optional<Response> deny_access(const Request& request, SteadyTime now);
  Response run_with_fault(const Request& request, const RequestTarget& target,
                          const std::optional<FaultRule>& fault);
  Response run_endpoint(const Request& request, const RequestTarget& target);
  std::string new_join_link();

  RouterOptions options_;
  const Clock& clock_;
  FakeBlinkState state_;
  std::mt19937_64 random_;
};

}  // namespace fake_blink
