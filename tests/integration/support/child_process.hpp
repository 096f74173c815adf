#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace blink_sync::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or by the timeout
  bool timed_out = false;
  std::string out;
  std::string err;
  double cpu_seconds = 0;      // user plus system time of the process
  long peak_rss_kb = 0;        // its largest resident set size
};

// A child process with its standard output and error captured. The
// environment is the test's own plus `extra_environment` ("NAME=value").
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& arguments, const std::vector<std::string>& extra_environment);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void send_signal(int signal) const;
  pid_t pid() const { return pid_; }

  // Waits for the exit, reading its output meanwhile; kills it with SIGKILL
  // after `timeout`.
  ProcessResult wait(std::chrono::milliseconds timeout);

  // Reads output for up to `timeout`; returns true once the process has
  // closed its output (it has ended), false when it is still running.
  bool output_ended_within(std::chrono::milliseconds timeout);

  // Reads output for up to `timeout` or until `text` appears in standard
  // error; returns whether it appeared.
  bool wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout);

 private:
  void read_available(int timeout_ms);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  ProcessResult result_;
  bool finished_ = false;
};

// Runs a command to its end and returns what it printed.
ProcessResult run_process(const std::vector<std::string>& arguments,
                          const std::vector<std::string>& extra_environment = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace blink_sync::testing
