#include "client_harness.hpp"

#include "daemon/url.hpp"

namespace blink_sync::testing {
namespace {

TokenBucket::Limits limits_of(const ClientSetup& setup) {
  TokenBucket::Limits limits;
  limits.requests_per_window = setup.requests_per_minute;
  limits.burst = setup.burst;
  return limits;
}

TransportOptions transport_options_of(const ClientSetup& setup) {
  TransportOptions options;
  options.connect_timeout = setup.connect_timeout;
  options.request_timeout = setup.request_timeout;
  options.max_response_bytes = setup.max_response_bytes;
  options.ca_file = setup.ca_file;
  return options;
}

ClientOptions client_options_of(const ClientSetup& setup) {
  ClientOptions options;
  options.token = setup.token;
  options.token_source = setup.token_source;
  options.retry.max_attempts = setup.max_attempts;
  options.retry.initial_delay = std::chrono::milliseconds(1000);
  options.retry.max_delay = std::chrono::milliseconds(60000);
  options.jitter = [] { return 1.0; };
  return options;
}

}  // namespace

ClientHarness::ClientHarness(Handler handler, ClientSetup setup)
    : server(io.get_executor(), std::move(handler)),
      bucket(limits_of(setup), clock.now()),
      transport(io.get_executor(), parse_endpoint(setup.base_url.value_or(server.base_url())),
                transport_options_of(setup)),
      client(transport, clock, bucket, client_options_of(setup)) {}

ApiResult ClientHarness::call(boost::beast::http::verb method, std::string target,
                              std::optional<nlohmann::json> body) {
  return run_to_completion(io, client.call(method, std::move(target), std::move(body)));
}

}  // namespace blink_sync::testing
