#include "fault_injector.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace fake_blink {
namespace {

constexpr std::array<std::pair<std::string_view, FaultAction>, 6> kActionNames = {{
    {"error500", FaultAction::error500},
    {"delay", FaultAction::delay},
    {"drop_after_apply", FaultAction::drop_after_apply},
    {"drop_before_apply", FaultAction::drop_before_apply},
    {"reject406", FaultAction::reject406},
    {"hang", FaultAction::hang},
}};

FaultAction parse_action(const nlohmann::json& rule) {
  const std::string name = rule.value("action", "");
  for (const auto& [action_name, action] : kActionNames) {
    if (action_name == name) {
      return action;
    }
  }
  throw std::invalid_argument(
      "fault rule action must be error500, delay, drop_after_apply, drop_before_apply, reject406 or hang, "
      "got \"" +
      name + "\"");
}

std::string_view action_name(FaultAction action) {
  for (const auto& [name, value] : kActionNames) {
    if (value == action) {
      return name;
    }
  }
  return "";
}

FaultRule parse_rule(const nlohmann::json& rule) {
  if (!rule.is_object()) {
    throw std::invalid_argument("each fault rule must be a JSON object");
  }

  FaultRule parsed;
  parsed.method = rule.value("method", "");
  std::transform(parsed.method.begin(), parsed.method.end(), parsed.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  parsed.path_prefix = rule.value("path_prefix", "");
  parsed.action = parse_action(rule);
  parsed.remaining = rule.value("count", 1);
  if (parsed.remaining < 1) {
    throw std::invalid_argument("fault rule count must be at least 1");
  }

  parsed.skip = rule.value("skip", 0);
  if (parsed.skip < 0) {
    throw std::invalid_argument("fault rule skip must not be negative");
  }

  parsed.delay = std::chrono::milliseconds{rule.value("delay_ms", 0)};
  if (parsed.action == FaultAction::delay && parsed.delay <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("a delay fault rule needs delay_ms of at least 1");
  }
  parsed.message = rule.value("message", "Data validation error (injected by a fault rule)");
  return parsed;
}

}  // namespace

std::vector<FaultRule> FaultInjector::parse_rules(const nlohmann::json& rules) {
  const nlohmann::json list = rules.is_array() ? rules : nlohmann::json::array({rules});

  std::vector<FaultRule> parsed;
  try {
    for (const auto& rule : list) {
      parsed.push_back(parse_rule(rule));
    }
  } catch (const nlohmann::json::type_error& error) {
    throw std::invalid_argument(std::string{"fault rule has a field of the wrong type: "} +
                                error.what());
  }
  return parsed;
}

void FaultInjector::add(std::vector<FaultRule> rules) {
  for (FaultRule& rule : rules) {
    rules_.push_back(std::move(rule));
  }
}

std::optional<FaultRule> FaultInjector::take(std::string_view method, std::string_view path) {
  std::optional<FaultRule> matched;
  for (auto rule = rules_.begin(); rule != rules_.end(); ++rule) {
    const bool method_matches = rule->method.empty() || rule->method == method;
    if (!method_matches || !path.starts_with(rule->path_prefix)) {
      continue;
    }
    if (rule->skip > 0) {
      --rule->skip;
      continue;
    }
    if (!matched) {
      matched = *rule;
      --rule->remaining;
    }
  }

  rules_.erase(std::remove_if(rules_.begin(), rules_.end(), [](const FaultRule& rule) { return rule.remaining <= 0; }),
               rules_.end());
  return matched;
}

nlohmann::json FaultInjector::to_json() const {
  nlohmann::json rules = nlohmann::json::array();
  for (const FaultRule& rule : rules_) {
    rules.push_back({
        {"method", rule.method},
        {"path_prefix", rule.path_prefix},
        {"action", action_name(rule.action)},
        {"count", rule.remaining},
        {"skip", rule.skip},
        {"delay_ms", rule.delay.count()},
    });
  }
  return rules;
}

}  // namespace fake_blink
