// Starting and stopping the fake-blink executable, and its command line.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

TEST(FakeBlinkProcess, ListensOnLoopbackAndStopsOnSigterm) {
  FakeBlinkProcess server{fake_blink_path(), {"--token", "t"}};
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.host(), "127.0.0.1");
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/v1");

  const int status = server.stop();

  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(FakeBlinkProcess, RejectsNonLoopbackListen) {
  EXPECT_THROW(FakeBlinkProcess(fake_blink_path(), {"--token", "t", "--listen", "0.0.0.0:0"}),
               std::runtime_error);
  EXPECT_THROW(FakeBlinkProcess(fake_blink_path(), {"--token", "t", "--listen", "localhost:0"}),
               std::runtime_error);
}

TEST(FakeBlinkProcess, RequiresToken) {
  EXPECT_THROW(FakeBlinkProcess(fake_blink_path(), {}), std::runtime_error);
}

TEST(FakeBlinkProcess, ReadsTokenFile) {
  char path[] = "/tmp/fake-blink-token-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream{path} << "from-file\n";

  FakeBlinkProcess server{fake_blink_path(), {"--token-file", path}};
  HttpClient client{server.host(), server.port()};
  const int accepted =
      client.request("GET", "/v1/staff", {}, {{"Authorization", "Bearer from-file"}}).status;
  std::remove(path);

  EXPECT_EQ(accepted, 200);
}

TEST(FakeBlinkProcess, ServesIpv6Loopback) {
  FakeBlinkProcess server{fake_blink_path(), {"--token", "t", "--listen", "[::1]:0"}};
  HttpClient client{server.host(), server.port()};

  EXPECT_EQ(server.host(), "::1");
  EXPECT_EQ(client.request("GET", "/v1/staff", {}, {{"Authorization", "Bearer t"}}).status, 200);
}

}  // namespace
}  // namespace fake_blink::testing
