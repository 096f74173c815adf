#include "request_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace fake_blink {

std::optional<RequestTarget> parse_request_target(std::string_view target) {
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    return std::nullopt;
  }

  RequestTarget result;
  result.path = parsed->path();
  for (const std::string segment : parsed->segments()) {
    result.segments.push_back(segment);
  }
  if (!result.segments.empty() && result.segments.back().empty()) {
    result.segments.pop_back();
  }

  for (const auto param : parsed->params()) {
    result.params[param.key] = param.value;
  }
  return result;
}

}  // namespace fake_blink
