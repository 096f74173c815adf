#include "fake_blink_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fake_blink {
namespace {

std::runtime_error system_error(const std::string& message) {
  return std::runtime_error(message + ": " + std::strerror(errno));
}

struct Pipe {
  int read_fd = -1;
  int write_fd = -1;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw system_error("creating a pipe for fake-blink failed");
  }
  return {fds[0], fds[1]};
}

pid_t spawn(const std::string& executable, std::vector<std::string> arguments, Pipe input,
            Pipe output) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input.read_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output.write_fd, STDOUT_FILENO);
  // Sockets that the test has open must not be inherited by the server,
  // or closing them in the test would not end their connections.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

  arguments.insert(arguments.begin(), executable);
  std::vector<char*> argv;
  for (std::string& argument : arguments) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int error = posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    errno = error;
    throw system_error("starting " + executable + " failed");
  }
  return pid;
}

}  // namespace

FakeBlinkProcess::FakeBlinkProcess(const std::string& executable,
                                   const std::vector<std::string>& arguments,
                                   std::chrono::milliseconds startup_timeout) {
  const Pipe input = make_pipe();
  const Pipe output = make_pipe();

  std::vector<std::string> all_arguments = arguments;
  all_arguments.push_back("--stop-on-stdin-eof");
  try {
    pid_ = spawn(executable, all_arguments, input, output);
  } catch (...) {
    for (const int fd : {input.read_fd, input.write_fd, output.read_fd, output.write_fd}) {
      ::close(fd);
    }
    throw;
  }

  ::close(input.read_fd);
  ::close(output.write_fd);
  stdin_fd_ = input.write_fd;
  stdout_fd_ = output.read_fd;

  try {
    read_listening_line(startup_timeout);
  } catch (...) {
    stop();
    throw;
  }
}

FakeBlinkProcess::~FakeBlinkProcess() { stop(); }

void FakeBlinkProcess::read_listening_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  while (line.empty() || line.back() != '\n') {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd ready{stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
      throw std::runtime_error("fake-blink printed no \"listening on\" line within " +
                               std::to_string(timeout.count()) + " ms");
    }

    char c = 0;
    if (::read(stdout_fd_, &c, 1) != 1) {
      throw std::runtime_error("fake-blink exited before listening; see its standard error");
    }
    line += c;
  }

  constexpr std::string_view kPrefix = "listening on ";
  const auto colon = line.rfind(':');
  if (!line.starts_with(kPrefix) || colon == std::string::npos) {
    throw std::runtime_error("fake-blink printed an unexpected line: " + line);
  }
  host_ = line.substr(kPrefix.size(), colon - kPrefix.size());
  if (host_.starts_with('[') && host_.ends_with(']')) {
    host_ = host_.substr(1, host_.size() - 2);
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

std::string FakeBlinkProcess::base_url() const {
  const bool is_v6 = host_.find(':') != std::string::npos;
  const std::string host = is_v6 ? "[" + host_ + "]" : host_;
  return "http://" + host + ":" + std::to_string(port_) + "/v1";
}

int FakeBlinkProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) {
    return exit_status_;
  }

  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  pid_t waited = ::waitpid(pid_, &exit_status_, WNOHANG);
  while (waited == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
    waited = ::waitpid(pid_, &exit_status_, WNOHANG);
  }
  if (waited == 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &exit_status_, 0);
  }

  ::close(stdin_fd_);
  ::close(stdout_fd_);
  pid_ = -1;
  return exit_status_;
}

}  // namespace fake_blink
