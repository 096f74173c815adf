#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace blink_sync::testing {

// One request as the server received it.
struct RecordedRequest {
  std::string method;
  std::string target;                          // as sent, with the query
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::size_t connection = 0;  // 1-based number of the TCP connection it came on
};

// What the server does with one request.
struct Reply {
  enum class Action {
    respond,               // send the response below
    close_without_answer,  // close the connection without a response
    never_answer,          // keep the connection open and send nothing
    trickle,               // send the response one byte per trickle_interval
  };

  Action action = Action::respond;
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close_after = false;  // send "Connection: close" and close after the response
  std::chrono::milliseconds trickle_interval{0};

  static Reply json(unsigned status, const nlohmann::json& body);
  static Reply close_without_answer();
  static Reply never_answer();
  // Sends `reply` one byte at a time with `interval` between bytes, like a
  // slowloris peer.
  static Reply trickled(Reply reply, std::chrono::milliseconds interval);
};

using Handler = std::function<Reply(const RecordedRequest&)>;

// Returns a handler that sends `replies` in order and HTTP 500 once they are
// used up.
Handler scripted(std::vector<Reply> replies);

// An HTTP/1.1 server on 127.0.0.1 and a port the system picks, for tests of
// the Blink client. It runs as coroutines on the executor given, so it
// shares the test's io_context and needs no locking. Connections are kept
// alive unless a reply sets close_after or closes without a response.
class LoopbackServer {
 public:
  LoopbackServer(boost::asio::any_io_executor executor, Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  unsigned short port() const;

  // Returns "http://127.0.0.1:<port>/v1".
  std::string base_url() const;

  void set_handler(Handler handler);
  const std::vector<RecordedRequest>& requests() const;
  std::size_t connections() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

// Returns a loopback port on which nothing listens (bound once, then closed).
unsigned short unused_loopback_port();

}  // namespace blink_sync::testing
