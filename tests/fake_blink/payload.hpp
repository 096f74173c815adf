// Typed access to the JSON object of a POST or PUT body.
//
// Each accessor returns nullopt when the key is absent and throws a 406
// ApiError naming the key when the value has the wrong type. The accepted
// forms follow what a PHP backend takes from JSON: text may come as a
// number, flags as 1/0 numbers, "1"/"0" strings or booleans, and id lists
// as "44,232", a JSON array of numbers, or an empty value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fake_blink {

class Payload {
 public:
  // Parses a request body. An empty body is an empty object. Throws a 406
  // ApiError when the body is not JSON or not a JSON object.
  static Payload parse(std::string_view body);

  // Wraps `object`. Throws a 406 ApiError unless it is a JSON object.
  explicit Payload(nlohmann::json object);

  bool has(std::string_view key) const;

  // Returns text as sent. A number becomes its decimal text; null becomes "".
  std::optional<std::string> text(std::string_view key) const;

  // Returns a 1/0 flag.
  std::optional<bool> flag(std::string_view key) const;

  // Returns an id list. An empty string, null or [] is an empty list, which
  // a PUT uses to remove every link. Repeated ids are kept.
  std::optional<std::vector<std::int64_t>> id_list(std::string_view key) const;

  // Returns an integer or, for null or "", an empty optional.
  std::optional<std::optional<std::int64_t>> nullable_integer(std::string_view key) const;

  const nlohmann::json& object() const { return object_; }

 private:
  const nlohmann::json* find(std::string_view key) const;

  nlohmann::json object_;
};

// Returns `text` without leading and trailing spaces and tabs.
std::string_view trim_spaces(std::string_view text);

// Parses a base-10 integer that fills the whole of `text`.
std::optional<std::int64_t> parse_integer(std::string_view text);

}  // namespace fake_blink
