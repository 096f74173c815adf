// The path and query of a request target, percent-decoded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "list_query.hpp"

namespace fake_blink {

struct RequestTarget {
  std::string path;  // decoded, e.g. "/v1/staff/1001"
  // Decoded path segments, e.g. {"v1", "staff", "1001"}. A trailing slash
  // adds no empty segment.
  std::vector<std::string> segments;
  QueryParams params;
};

// Parses an origin-form target such as "/v1/staff?limit=5". Returns nullopt
// when it is not a valid origin-form target.
std::optional<RequestTarget> parse_request_target(std::string_view target);

}  // namespace fake_blink
