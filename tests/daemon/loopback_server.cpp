#include "loopback_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace blink_sync::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A connection whose reply is never_answer is held open this long. The test
// stops its io_context long before.
constexpr auto kNeverAnswerHold = std::chrono::seconds(30);

std::string lower_case(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

RecordedRequest record(const http::request<http::string_body>& request, std::size_t connection) {
  RecordedRequest recorded;
  recorded.method = std::string(request.method_string());
  recorded.target = std::string(request.target());
  for (const auto& field : request) {
    recorded.headers[lower_case(field.name_string())] = std::string(field.value());
  }
  recorded.body = request.body();
  recorded.connection = connection;
  return recorded;
}

http::response<http::string_body> build_response(const Reply& reply, const http::request<http::string_body>& request) {
  http::response<http::string_body> response{static_cast<http::status>(reply.status), request.version()};
  response.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : reply.headers) {
    response.set(name, value);
  }
  response.body() = reply.body;
  response.keep_alive(request.keep_alive() && !reply.close_after);
  response.prepare_payload();
  return response;
}

}  // namespace

Reply Reply::json(unsigned status, const nlohmann::json& body) {
  Reply reply;
  reply.status = status;
  reply.body = body.dump();
  return reply;
}

Reply Reply::close_without_answer() {
  Reply reply;
  reply.action = Action::close_without_answer;
  return reply;
}

Reply Reply::never_answer() {
  Reply reply;
  reply.action = Action::never_answer;
  return reply;
}

Reply Reply::trickled(Reply reply, std::chrono::milliseconds interval) {
  reply.action = Action::trickle;
  reply.trickle_interval = interval;
  return reply;
}

Handler scripted(std::vector<Reply> replies) {
  auto remaining = std::make_shared<std::vector<Reply>>(std::move(replies));
  auto next = std::make_shared<std::size_t>(0);
  return [remaining, next](const RecordedRequest&) {
    if (*next >= remaining->size()) {
      return Reply::json(500, {{"status", {{"message", "the test script has no more replies"}, {"status_code", 500}}}});
    }
    return (*remaining)[(*next)++];
  };
}

// Coroutine frames hold a shared_ptr to the Impl, so it lives until the
// io_context has destroyed the last of them.
class LoopbackServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, Handler handler)
      : handler_(std::move(handler)), executor_(std::move(executor)), acceptor_(executor_) {
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
  }

  void start() { asio::co_spawn(executor_, accept_loop(shared_from_this()), asio::detached); }

  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  Handler handler_;
  std::vector<RecordedRequest> requests_;
  std::size_t connections_ = 0;

 private:
  asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    for (;;) {
      boost::system::error_code error;
      auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        co_return;
      }
      ++connections_;
      asio::co_spawn(executor_, serve(self, std::move(socket), connections_), asio::detached);
    }
  }

  // `self` is unused but keeps the Impl alive while the connection is served.
  asio::awaitable<void> serve([[maybe_unused]] std::shared_ptr<Impl> self, tcp::socket socket,
                              std::size_t connection) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code error;
      http::request<http::string_body> request;
      co_await http::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        co_return;
      }
      requests_.push_back(record(request, connection));
      const auto reply = handler_(requests_.back());

      if (reply.action == Reply::Action::close_without_answer) {
        stream.socket().shutdown(tcp::socket::shutdown_both, error);
        stream.socket().close(error);
        co_return;
      }
      if (reply.action == Reply::Action::never_answer) {
        asio::steady_timer hold(executor_, kNeverAnswerHold);
        co_await hold.async_wait(asio::redirect_error(asio::use_awaitable, error));
        co_return;
      }

      auto response = build_response(reply, request);
      if (reply.action == Reply::Action::trickle) {
        co_await trickle(stream, response, reply.trickle_interval);
        co_return;
      }
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
      if (error || !response.keep_alive()) {
        stream.socket().shutdown(tcp::socket::shutdown_send, error);
        co_return;
      }
    }
  }

  // Writes the serialized response one byte at a time and stops at the
  // first error, which is the client closing the connection.
  asio::awaitable<void> trickle(beast::tcp_stream& stream, const http::response<http::string_body>& response,
                                std::chrono::milliseconds interval) {
    std::ostringstream serialized;
    serialized << response;
    const auto bytes = serialized.str();
    asio::steady_timer pause(executor_);
    for (const char byte : bytes) {
      boost::system::error_code error;
      co_await asio::async_write(stream, asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        co_return;
      }
      pause.expires_after(interval);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
    }
  }

  asio::any_io_executor executor_;
  tcp::acceptor acceptor_;
};

LoopbackServer::LoopbackServer(asio::any_io_executor executor, Handler handler)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(handler))) {
  impl_->start();
}

LoopbackServer::~LoopbackServer() { impl_->stop(); }

unsigned short LoopbackServer::port() const { return impl_->port(); }

std::string LoopbackServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/v1"; }

void LoopbackServer::set_handler(Handler handler) { impl_->handler_ = std::move(handler); }

const std::vector<RecordedRequest>& LoopbackServer::requests() const { return impl_->requests_; }

std::size_t LoopbackServer::connections() const { return impl_->connections_; }

unsigned short unused_loopback_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace blink_sync::testing
