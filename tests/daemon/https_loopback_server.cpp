#include "https_loopback_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <thread>

namespace blink_sync::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// Bounds every step of a connection, so a client that stalls cannot keep
// the server thread from stopping.
constexpr auto kConnectionDeadline = std::chrono::seconds(5);

constexpr const char* kBody = R"({"status":{"message":"Success","status_code":200},"data":{"id":16}})";

}  // namespace

class HttpsLoopbackServer::Impl {
 public:
  explicit Impl(const Identity& identity) : tls_context_(ssl::context::tls_server), acceptor_(io_) {
    tls_context_.use_certificate_chain(asio::buffer(identity.certificate));
    tls_context_.use_private_key(asio::buffer(identity.private_key), ssl::context::pem);

    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() {
    io_.stop();
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  std::atomic<std::size_t> handshakes_{0};
  std::atomic<std::size_t> requests_{0};

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code error;
      auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        co_return;
      }
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  // A client that rejects the certificate aborts the handshake. That is the
  // expected end of the connection in most tests, so it is not an error.
  asio::awaitable<void> serve(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls_context_);
    beast::get_lowest_layer(stream).expires_after(kConnectionDeadline);
    boost::system::error_code error;
    ++handshakes_;
    co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      co_return;
    }

    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      co_return;
    }
    ++requests_;

    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "application/json");
    response.keep_alive(false);
    response.body() = kBody;
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, error));
  }

  asio::io_context io_;
  ssl::context tls_context_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

HttpsLoopbackServer::HttpsLoopbackServer(const Identity& identity) : impl_(std::make_unique<Impl>(identity)) {}

HttpsLoopbackServer::~HttpsLoopbackServer() = default;

unsigned short HttpsLoopbackServer::port() const { return impl_->port(); }

std::size_t HttpsLoopbackServer::handshakes() const { return impl_->handshakes_; }

std::size_t HttpsLoopbackServer::requests() const { return impl_->requests_; }

}  // namespace blink_sync::testing
