// Client of the fake server's /_control/ API, for test setup and assertions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http_client.hpp"

namespace fake_blink {

// Every call throws std::runtime_error with the server's message when the
// status is not 200, and HttpTransportError when the request fails.
class ControlClient {
 public:
  explicit ControlClient(std::uint16_t port, std::string host = "127.0.0.1",
                         std::chrono::milliseconds timeout = std::chrono::seconds{5});

  // Request counters: requests_total, by_method, by_endpoint ("POST staff"),
  // by_status, rate_limited, unauthorized, validation_failed, injected_500,
  // dropped, max_in_window.
  nlohmann::json stats();

  // The whole store: students, staff, student_logins, links, plus
  // rate_limit and faults.
  nlohmann::json state();

  // Empties the store and clears counters, faults, the rate window and any
  // lock-out. The token and the rate limit stay.
  void reset();

  // Inserts {"students":[...],"staff":[...],"student_logins":[...]} and
  // returns the new ids under the same keys, in input order.
  nlohmann::json seed(const nlohmann::json& document);

  // Arms fault rules (an array or one rule) after those already armed, e.g.
  // {"method":"POST","path_prefix":"/v1/staff","action":"drop_after_apply","count":1}.
  void add_faults(const nlohmann::json& rules);
  void clear_faults();

  // Sets the requests allowed per sliding 60 s; 0 disables the limit.
  void set_rate_limit(std::size_t limit);

  nlohmann::json get(std::string_view path);
  nlohmann::json send(std::string_view method, std::string_view path,
                      const nlohmann::json& body = nullptr);

 private:
  HttpClient client_;
};

}  // namespace fake_blink
