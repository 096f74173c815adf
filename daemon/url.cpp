#include "daemon/url.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <stdexcept>

namespace blink_sync {

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") {
    return true;
  }
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(host), error);
  return !error && address.is_loopback();
}

Endpoint parse_endpoint(std::string_view base_url) {
  const auto parsed = boost::urls::parse_absolute_uri(base_url);
  if (!parsed) {
    throw std::invalid_argument("\"" + std::string(base_url) +
                                "\" is not an absolute URL such as https://api.blinksession.com/v1");
  }
  const auto& url = *parsed;

  Endpoint endpoint;
  const auto scheme = url.scheme_id();
  if (scheme != boost::urls::scheme::https && scheme != boost::urls::scheme::http) {
    throw std::invalid_argument("scheme \"" + std::string(url.scheme()) + "\" is not supported; use https");
  }
  endpoint.tls = scheme == boost::urls::scheme::https;
  endpoint.host = std::string(url.encoded_host_address());
  if (endpoint.host.size() > 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  if (endpoint.host.empty()) {
    throw std::invalid_argument("\"" + std::string(base_url) + "\" has no host name");
  }
  if (url.has_userinfo() || url.has_query() || url.has_fragment()) {
    throw std::invalid_argument("the base URL may not carry a user name, a query or a fragment");
  }
  if (!endpoint.tls && !is_loopback_host(endpoint.host)) {
    throw std::invalid_argument("plain http is allowed only for a loopback test server, not for \"" +
                                endpoint.host + "\"; use https");
  }

  endpoint.port = url.has_port() ? std::string(url.port()) : (endpoint.tls ? "443" : "80");
  endpoint.base_path = std::string(url.encoded_path());
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
    endpoint.base_path.pop_back();
  }
  return endpoint;
}

std::optional<std::string> check_base_url(std::string_view base_url) {
  try {
    parse_endpoint(base_url);
    return std::nullopt;
  } catch (const std::invalid_argument& error) {
    return std::string(error.what());
  }
}

}  // namespace blink_sync
