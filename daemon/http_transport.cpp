#include "daemon/http_transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <charconv>

namespace blink_sync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// A connection idle longer than this is replaced before the next request;
// servers commonly close idle keep-alive connections after a few seconds.
// For a POST a lost response costs a lookup, for any other request a retry.
// At Blink's 60 requests a minute the requests of a cycle come about a
// second apart, so a cycle still uses one connection.
constexpr auto kMaxIdleBeforeReuse = std::chrono::seconds(2);

// Beast's default limit on the size of response headers, stated here so
// that the error message can name it.
constexpr std::uint32_t kMaxResponseHeaderBytes = 8192;

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error != std::errc{} || end != value.data() + value.size() || seconds < 0) {
    return std::nullopt;  // NOTE: the HTTP-date form is not read; the backoff applies instead.
  }
  return std::chrono::seconds(std::min<long long>(seconds, 3600));
}

}  // namespace

class HttpTransport::Impl {
 public:
  Impl(asio::any_io_executor executor, Endpoint endpoint, TransportOptions options)
      : executor_(std::move(executor)),
        endpoint_(std::move(endpoint)),
        options_(std::move(options)),
        tls_context_(ssl::context::tls_client) {
    configure_tls();
  }

  asio::awaitable<HttpResponse> send(http::verb method, std::string_view target, std::string body,
                                     std::string_view bearer_token) {
    const bool idle_too_long = std::chrono::steady_clock::now() - last_used_ > kMaxIdleBeforeReuse;
    if (idle_too_long) {
      close();
    }
    if (!connected()) {
      co_await connect();
    }

    auto request = build_request(method, target, std::move(body), bearer_token);
    // NOTE: an if statement, because g++ 12.2 miscompiles
    // `secure_ ? co_await ... : co_await ...` into a use-after-free of the body.
    HttpResponse response;
    if (secure_) {
      response = co_await exchange(*secure_, request);
    } else {
      response = co_await exchange(*plain_, request);
    }
    last_used_ = std::chrono::steady_clock::now();
    co_return response;
  }

  void close() {
    boost::system::error_code ignored;
    if (secure_) {
      beast::get_lowest_layer(*secure_).socket().close(ignored);
    }
    if (plain_) {
      plain_->socket().close(ignored);
    }
    secure_.reset();
    plain_.reset();
    buffer_.clear();
  }

 private:
  void configure_tls() {
    tls_context_.set_verify_mode(ssl::verify_peer);
    tls_context_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (options_.ca_file) {
      boost::system::error_code error;
      tls_context_.load_verify_file(*options_.ca_file, error);
      if (error) {
        throw std::invalid_argument("cannot load blink.ca_file \"" + *options_.ca_file + "\": " + error.message());
      }
    } else {
      tls_context_.set_default_verify_paths();
    }
  }

  bool connected() const { return (plain_ && plain_->socket().is_open()) || secure_; }

  asio::awaitable<void> connect() {
    close();
    tcp::resolver resolver(executor_);
    boost::system::error_code error;
    // NOTE: name resolution has no deadline of its own; getaddrinfo's
    // timeouts apply.
    const auto addresses = co_await resolver.async_resolve(endpoint_.host, endpoint_.port,
                                                           asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      throw TransportError("cannot resolve host \"" + endpoint_.host + "\": " + error.message(), false);
    }

    beast::tcp_stream stream(executor_);
    stream.expires_after(options_.connect_timeout);
    co_await stream.async_connect(addresses, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      throw TransportError(describe_connect_error(error), false);
    }
    if (!endpoint_.tls) {
      plain_.emplace(std::move(stream));
      co_return;
    }
    co_await handshake(std::move(stream));
  }

  asio::awaitable<void> handshake(beast::tcp_stream stream) {
    secure_.emplace(std::move(stream), tls_context_);
    auto* native = secure_->native_handle();
    expect_peer_name(native);

    boost::system::error_code error;
    beast::get_lowest_layer(*secure_).expires_after(options_.connect_timeout);
    co_await secure_->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      const auto verify = SSL_get_verify_result(native);
      const bool rejected_certificate = verify != X509_V_OK;
      const auto reason = rejected_certificate ? "the certificate was rejected: " +
                                                     std::string(X509_verify_cert_error_string(verify)) +
                                                     "; check blink.base_url and blink.ca_file"
                                               : error.message();
      secure_.reset();
      throw TransportError("TLS handshake with \"" + endpoint_.host + "\" failed: " + reason, false,
                           rejected_certificate);
    }
  }

  // Makes OpenSSL check the certificate against the host name (or IP
  // address) during the handshake, so a mismatch is reported as such, and
  // sends the name by SNI.
  void expect_peer_name(SSL* native) const {
    auto* parameters = SSL_get0_param(native);
    X509_VERIFY_PARAM_set_hostflags(parameters, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const char* host = endpoint_.host.c_str();
    const bool configured = is_ip_literal(endpoint_.host)
                                ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host) == 1
                                : SSL_set1_host(native, host) == 1 && SSL_set_tlsext_host_name(native, host) == 1;
    if (!configured) {
      throw TransportError("cannot set up TLS verification for host \"" + endpoint_.host + "\"", false, true);
    }
  }

  http::request<http::string_body> build_request(http::verb method, std::string_view target, std::string body,
                                                 std::string_view bearer_token) const {
    http::request<http::string_body> request{method, endpoint_.base_path + std::string(target), 11};
    request.set(http::field::host, host_header());
    request.set(http::field::user_agent, options_.user_agent);
    request.set(http::field::accept, "application/json");
    request.set(http::field::content_type, "application/json");
    request.set(http::field::authorization, "Bearer " + std::string(bearer_token));
    request.keep_alive(true);
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
  }

  template <typename Stream>
  asio::awaitable<HttpResponse> exchange(Stream& stream, http::request<http::string_body>& request) {
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(options_.request_timeout);
    boost::system::error_code error;
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      close();
      throw TransportError("sending the request failed: " + error.message(), false);
    }

    http::response_parser<http::string_body> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    parser.body_limit(options_.max_response_bytes);
    co_await http::async_read(stream, buffer_, parser, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      close();
      throw TransportError(describe_read_error(error), true, is_over_limit(error));
    }

    auto message = parser.release();
    HttpResponse response{message.result_int(), std::move(message.body()), std::nullopt};
    if (const auto header = message.find(http::field::retry_after); header != message.end()) {
      response.retry_after = parse_retry_after(header->value());
    }
    if (!message.keep_alive()) {
      close();
    }
    co_return response;
  }

  std::string describe_connect_error(const boost::system::error_code& error) const {
    const auto where = endpoint_.host + ":" + endpoint_.port;
    if (error == beast::error::timeout) {
      return "connecting to " + where + " timed out after " + std::to_string(options_.connect_timeout.count()) + " s";
    }
    return "cannot connect to " + where + ": " + error.message();
  }

  std::string describe_read_error(const boost::system::error_code& error) const {
    if (error == beast::error::timeout) {
      return "no complete response within " + std::to_string(options_.request_timeout.count()) + " s";
    }
    if (error == http::error::body_limit) {
      return "the response body is larger than the limit of " + describe_size(options_.max_response_bytes) +
             "; raise blink.max_response_mb or lower blink.page_size";
    }
    if (error == http::error::header_limit) {
      return "the response headers are larger than the limit of " + describe_size(kMaxResponseHeaderBytes);
    }
    return "reading the response failed: " + error.message();
  }

  // A response over a size limit comes back just as large when the request
  // is sent again, so it is not retried.
  static bool is_over_limit(const boost::system::error_code& error) {
    return error == http::error::body_limit || error == http::error::header_limit;
  }

  static std::string describe_size(std::size_t bytes) {
    constexpr std::size_t mebibyte = 1024U * 1024U;
    if (bytes % mebibyte == 0) {
      return std::to_string(bytes / mebibyte) + " MiB";
    }
    return std::to_string(bytes) + " bytes";
  }

  std::string host_header() const {
    const bool default_port = (endpoint_.tls && endpoint_.port == "443") || (!endpoint_.tls && endpoint_.port == "80");
    const auto host = endpoint_.host.find(':') != std::string::npos ? "[" + endpoint_.host + "]" : endpoint_.host;
    return default_port ? host : host + ":" + endpoint_.port;
  }

  static bool is_ip_literal(const std::string& host) {
    boost::system::error_code error;
    asio::ip::make_address(host, error);
    return !error;
  }

  asio::any_io_executor executor_;
  Endpoint endpoint_;
  TransportOptions options_;
  ssl::context tls_context_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
  beast::flat_buffer buffer_;
  std::chrono::steady_clock::time_point last_used_{};
};

HttpTransport::HttpTransport(asio::any_io_executor executor, Endpoint endpoint, TransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(endpoint), std::move(options))) {}

HttpTransport::~HttpTransport() = default;

asio::awaitable<HttpResponse> HttpTransport::send(http::verb method, std::string_view target, std::string body,
                                                  std::string_view bearer_token) {
  co_return co_await impl_->send(method, target, std::move(body), bearer_token);
}

void HttpTransport::close() { impl_->close(); }

}  // namespace blink_sync
