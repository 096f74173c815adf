#include "http_server.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "clock.hpp"
#include "router.hpp"

namespace fake_blink {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// A connection with no request for this long is closed.
constexpr auto kIdleTimeout = 60s;
// Bounds sending one response and reading one request once it has begun.
constexpr auto kTransferTimeout = 30s;
// Seed documents can be large, while API bodies are small.
constexpr std::uint64_t kMaxBodyBytes = 16 * 1024 * 1024;

Request to_request(const http::request<http::string_body>& message) {
  return {
      std::string{message.method_string()},
      std::string{message.target()},
      std::string{message[http::field::authorization]},
      message.body(),
  };
}

http::response<http::string_body> to_message(const Response& response, unsigned version,
                                             bool keep_alive) {
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  message.set(http::field::server, "fake-blink");
  message.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : response.headers) {
    message.set(name, value);
  }
  message.keep_alive(keep_alive);
  // Replace invalid UTF-8, for example from a percent-decoded path echoed
  // in a message, instead of throwing.
  message.body() = response.body.is_null()
                       ? std::string{}
                       : response.body.dump(-1, ' ', false,
                                            nlohmann::json::error_handler_t::replace);
  message.prepare_payload();
  return message;
}

// Returns the router's response, or a 500 when the router throws, which
// means a bug in the fake rather than an expected API failure.
Response handle_request(Router& router, const Request& request) {
  try {
    return router.handle(request);
  } catch (const std::exception& error) {
    spdlog::error("Request handling failed: {} (method={} target={})", error.what(),
                  request.method, request.target);
    return status_response(500, std::string{"Internal Server Error: "} + error.what());
  }
}

// Reads one request and responds to "Expect: 100-continue", so clients
// that send it do not wait before sending the body. Returns the error that
// ended the connection, if any.
asio::awaitable<beast::error_code> read_request(beast::tcp_stream& stream,
                                                beast::flat_buffer& buffer,
                                                http::request_parser<http::string_body>& parser) {
  stream.expires_after(kIdleTimeout);
  auto [header_error, header_bytes] =
      co_await http::async_read_header(stream, buffer, parser, kAsTuple);
  if (header_error) {
    co_return header_error;
  }

  stream.expires_after(kTransferTimeout);
  if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
    http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
    auto [continue_error, continue_bytes] = co_await http::async_write(stream, go_on, kAsTuple);
    if (continue_error) {
      co_return continue_error;
    }
  }

  auto [body_error, body_bytes] = co_await http::async_read(stream, buffer, parser, kAsTuple);
  co_return body_error;
}

asio::awaitable<void> serve_connection(beast::tcp_stream stream, Router& router) {
  beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    if (const auto error = co_await read_request(stream, buffer, parser)) {
      if (error != http::error::end_of_stream) {
        spdlog::debug("Connection closed while reading a request: {}", error.message());
      }
      break;
    }

    const auto& message = parser.get();
    const auto started = std::chrono::steady_clock::now();
    const Response response = handle_request(router, to_request(message));

    if (response.delay > 0ms) {
      asio::steady_timer timer{stream.get_executor(), response.delay};
      co_await timer.async_wait(kAsTuple);
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::debug("Request handled: method={} target={} status={} dropped={} ms={}",
                  message.method_string(), message.target(), response.status,
                  response.drop_connection, elapsed.count());

    // A dropped connection loses the response, as a network failure would.
    if (response.drop_connection) {
      stream.close();
      co_return;
    }

    auto reply = to_message(response, message.version(), message.keep_alive());
    stream.expires_after(kTransferTimeout);
    auto [write_error, written] = co_await http::async_write(stream, reply, kAsTuple);
    if (write_error) {
      spdlog::debug("Sending a response failed: {} (target={})", write_error.message(),
                    message.target());
      break;
    }
    if (!reply.keep_alive()) {
      break;
    }
  }

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Logs an exception that ended a coroutine. Without this completion
// handler, co_spawn would discard it.
void log_coroutine_failure(const char* coroutine, std::exception_ptr failure) {
  if (!failure) {
    return;
  }
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    spdlog::error("Coroutine failed: coroutine={} error={}", coroutine, error.what());
  }
}

asio::awaitable<void> accept_connections(tcp::acceptor& acceptor, Router& router) {
  while (true) {
    auto [error, socket] = co_await acceptor.async_accept(kAsTuple);
    if (error == asio::error::operation_aborted) {
      co_return;
    }
    if (error) {
      spdlog::warn("Accepting a connection failed: {}", error.message());
      continue;
    }

    asio::co_spawn(acceptor.get_executor(),
                   serve_connection(beast::tcp_stream{std::move(socket)}, router),
                   [](std::exception_ptr failure) { log_coroutine_failure("connection", failure); });
  }
}

// Stops `context` when standard input reaches end of file or fails.
asio::awaitable<void> stop_on_stdin_eof(asio::posix::stream_descriptor& input,
                                        asio::io_context& context) {
  std::array<char, 256> discarded{};
  while (true) {
    auto [error, bytes] = co_await input.async_read_some(asio::buffer(discarded), kAsTuple);
    if (error) {
      spdlog::info("Standard input closed ({}), stopping", error.message());
      context.stop();
      co_return;
    }
  }
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto host = endpoint.address().to_string();
  const auto port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

}  // namespace

int run_server(const Options& options) {
  asio::io_context context{1};
  const tcp::endpoint requested{asio::ip::make_address(options.listen_host), options.listen_port};
  tcp::acceptor acceptor{context, requested};
  const std::string listening = endpoint_text(acceptor.local_endpoint());

  SystemClock clock;
  Router router{{options.token, options.rate_limit, "http://" + listening + "/joinsession/"}, clock};
  asio::co_spawn(context, accept_connections(acceptor, router), [](std::exception_ptr failure) {
    log_coroutine_failure("accept", failure);
  });

  asio::signal_set signals{context, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (!error) {
      spdlog::info("Received signal {}, stopping", signal);
      context.stop();
    }
  });

  asio::posix::stream_descriptor input{context};
  if (options.stop_on_stdin_eof) {
    input.assign(::dup(STDIN_FILENO));
    asio::co_spawn(context, stop_on_stdin_eof(input, context), [](std::exception_ptr failure) {
      log_coroutine_failure("stdin", failure);
    });
  }

  std::cout << "listening on " << listening << std::endl;
  spdlog::info("Fake Blink server started: address={} rate_limit={}", listening, options.rate_limit);
  context.run();
  spdlog::info("Fake Blink server stopped");
  return 0;
}

}  // namespace fake_blink
