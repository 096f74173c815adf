#include "http_client.hpp"

#include <cctype>
#include <future>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace fake_blink {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Blocking calls on a socket ignore deadlines, so each request runs as a
// coroutine whose steps have one and blocks only in io_context::run.
asio::awaitable<HttpResponse> exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                       const tcp::endpoint& endpoint,
                                       http::request<http::string_body> request,
                                       std::chrono::milliseconds timeout) {
  if (!stream.socket().is_open()) {
    buffer.clear();
    stream.expires_after(timeout);
    co_await stream.async_connect(endpoint, asio::use_awaitable);
  }

  stream.expires_after(timeout);
  co_await http::async_write(stream, request, asio::use_awaitable);

  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  stream.expires_after(timeout);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);

  const auto& message = parser.get();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string name{field.name_string()};
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    response.headers[name] = std::string{field.value()};
  }
  response.body = message.body();

  if (!message.keep_alive()) {
    beast::error_code ignored;
    stream.socket().close(ignored);
  }
  co_return response;
}

}  // namespace

struct HttpClient::Connection {
  Connection(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
      : endpoint(asio::ip::make_address(host), port), stream(context), timeout(timeout) {}

  asio::io_context context;
  tcp::endpoint endpoint;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;
};

std::string HttpResponse::header(std::string_view name) const {
  std::string lower{name};
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto found = headers.find(lower);
  return found == headers.end() ? std::string{} : found->second;
}

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body); }

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : connection_(std::make_unique<Connection>(std::move(host), port, timeout)) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(std::string_view method, std::string_view target,
                                 const std::string& body, const HttpHeaders& headers) {
  http::request<http::string_body> message{http::string_to_verb(method), target, 11};
  if (message.method() == http::verb::unknown) {
    message.method_string(method);
  }
  message.set(http::field::host, connection_->endpoint.address().to_string());
  message.set(http::field::accept, "application/json");
  if (!body.empty()) {
    message.set(http::field::content_type, "application/json");
    message.body() = body;
  }
  for (const auto& [name, value] : headers) {
    message.set(name, value);
  }
  message.prepare_payload();

  Connection& connection = *connection_;
  auto result = asio::co_spawn(connection.context,
                               exchange(connection.stream, connection.buffer, connection.endpoint,
                                        std::move(message), connection.timeout),
                               asio::use_future);
  connection.context.restart();
  connection.context.run();

  try {
    return result.get();
  } catch (const boost::system::system_error& error) {
    disconnect();
    throw HttpTransportError(std::string{method} + " " + std::string{target} +
                             " failed: " + error.code().message());
  }
}

void HttpClient::disconnect() {
  beast::error_code ignored;
  connection_->stream.socket().close(ignored);
  connection_->buffer.clear();
}

}  // namespace fake_blink
