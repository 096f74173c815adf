// Runs the fake-blink executable as a child process for a test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace fake_blink {

class FakeBlinkProcess {
 public:
  // Starts `executable` with `arguments` plus --stop-on-stdin-eof, so the
  // server also exits if this process dies, and waits up to
  // `startup_timeout` for its "listening on HOST:PORT" line. Pass
  // "--listen", "127.0.0.1:0" or nothing to get a free port. Throws
  // std::runtime_error when the server does not start in time.
  FakeBlinkProcess(const std::string& executable, const std::vector<std::string>& arguments,
                   std::chrono::milliseconds startup_timeout = std::chrono::seconds{5});

  // Stops the server: SIGTERM, then SIGKILL if it has not exited in 2 s.
  ~FakeBlinkProcess();

  FakeBlinkProcess(const FakeBlinkProcess&) = delete;
  FakeBlinkProcess& operator=(const FakeBlinkProcess&) = delete;

  std::uint16_t port() const { return port_; }
  // Returns the listening IP address without brackets, e.g. "127.0.0.1".
  const std::string& host() const { return host_; }
  pid_t pid() const { return pid_; }

  // Returns the API base URL, e.g. "http://127.0.0.1:41234/v1".
  std::string base_url() const;

  // Sends SIGTERM, waits up to `grace` for the exit, then sends SIGKILL.
  // Returns the wait status, as waitpid reports it. Safe to call twice.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds{2});

 private:
  void read_listening_line(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;   // write end of the child's standard input
  int stdout_fd_ = -1;  // read end of the child's standard output
  int exit_status_ = 0;
  std::string host_;
  std::uint16_t port_ = 0;
};

}  // namespace fake_blink
