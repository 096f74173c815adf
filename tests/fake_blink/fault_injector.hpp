// Faults that tests arm through the control API to make /v1 requests fail
// in the ways a real network and server can.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fake_blink {

enum class FaultAction {
  error500,           // respond 500 without applying the request
  delay,              // apply, then wait delay_ms before responding
  drop_after_apply,   // apply, then close the connection without a response
  drop_before_apply,  // close the connection without applying or responding
  reject406,          // respond 406 with `message` without applying, as Blink's validation does
  hang,               // apply, then never respond: the client times out or is killed waiting
};

struct FaultRule {
  std::string method;       // upper case; empty matches every method
  std::string path_prefix;  // empty matches every path
  FaultAction action = FaultAction::error500;
  int remaining = 1;  // matching requests this rule still affects
  int skip = 0;       // matching requests to let through before the rule acts
  std::chrono::milliseconds delay{0};
  std::string message;  // the status message of a reject406 response
};

class FaultInjector {
 public:
  // Parses a JSON array of rules such as {"method":"POST","path_prefix":
  // "/v1/staff","action":"delay","count":2,"delay_ms":500,"skip":3}. A single
  // object is taken as a list of one. Throws std::invalid_argument naming
  // the bad field.
  static std::vector<FaultRule> parse_rules(const nlohmann::json& rules);

  // Appends `rules` after the ones still armed.
  void add(std::vector<FaultRule> rules);

  // Counts the request against the `skip` of every matching rule that
  // still has one, then returns the first matching rule with none left and
  // uses up one of its `remaining`, or nullopt. Every rule counts every
  // matching request, so "fail the 7th POST" means the same whatever other
  // rules are armed.
  std::optional<FaultRule> take(std::string_view method, std::string_view path);

  void clear() { rules_.clear(); }

  // Returns the rules still armed, in the shape parse_rules accepts.
  nlohmann::json to_json() const;

 private:
  std::vector<FaultRule> rules_;
};

}  // namespace fake_blink
