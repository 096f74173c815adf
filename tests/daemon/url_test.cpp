#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "daemon/url.hpp"

namespace blink_sync {
namespace {

// Returns the message parse_endpoint throws for `url`, or "" when it accepts it.
std::string rejection_of(const std::string& url) {
  try {
    parse_endpoint(url);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(Url, HttpsWithoutPort) {
  const auto endpoint = parse_endpoint("https://api.blinksession.com/v1");

  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "api.blinksession.com");
  EXPECT_EQ(endpoint.port, "443");
  EXPECT_EQ(endpoint.base_path, "/v1");
}

TEST(Url, SchemeIgnoresCase) {
  const auto endpoint = parse_endpoint("HTTPS://api.blinksession.com/v1");

  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.port, "443");
}

TEST(Url, HttpsWithPort) {
  const auto endpoint = parse_endpoint("https://api.blinksession.com:8443/v1");

  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "api.blinksession.com");
  EXPECT_EQ(endpoint.port, "8443");
  EXPECT_EQ(endpoint.base_path, "/v1");
}

TEST(Url, TrailingSlashRemoved) {
  EXPECT_EQ(parse_endpoint("https://api.blinksession.com/v1/").base_path, "/v1");
  EXPECT_EQ(parse_endpoint("https://api.blinksession.com/v1//").base_path, "/v1");
  EXPECT_EQ(parse_endpoint("https://api.blinksession.com/").base_path, "");
  EXPECT_EQ(parse_endpoint("https://api.blinksession.com").base_path, "");
}

TEST(Url, Ipv6LoopbackHttp) {
  const auto endpoint = parse_endpoint("http://[::1]:8080/v1");

  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, "8080");
  EXPECT_EQ(endpoint.base_path, "/v1");
}

TEST(Url, LocalhostHttp) {
  const auto endpoint = parse_endpoint("http://localhost/v1");

  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "localhost");
  EXPECT_EQ(endpoint.port, "80");
}

TEST(Url, Ipv4LoopbackRangeHttp) {
  EXPECT_EQ(rejection_of("http://127.0.0.1:9000/v1"), "");
  EXPECT_EQ(rejection_of("http://127.3.2.1/v1"), "");
}

TEST(Url, NonLoopbackHttpRejected) {
  for (const auto* url : {"http://api.blinksession.com/v1", "http://10.0.0.1/v1", "http://[::2]/v1",
                          "http://localhost.example.com/v1", "http://0.0.0.0/v1"}) {
    const auto message = rejection_of(url);
    EXPECT_NE(message.find("plain http is allowed only for a loopback"), std::string::npos) << url << ": " << message;
  }
}

TEST(Url, UserinfoRejectedWithoutEchoingIt) {
  const auto message = rejection_of("https://user:Pa55word@api.blinksession.com/v1");

  EXPECT_NE(message.find("user name"), std::string::npos) << message;
  EXPECT_EQ(message.find("Pa55word"), std::string::npos) << message;
}

TEST(Url, QueryAndFragmentRejected) {
  EXPECT_NE(rejection_of("https://api.blinksession.com/v1?token=x").find("query"), std::string::npos);
  // Boost.URL's absolute-URI grammar has no fragment, so it fails earlier.
  EXPECT_NE(rejection_of("https://api.blinksession.com/v1#top"), "");
}

TEST(Url, BadSchemeRejected) {
  const auto message = rejection_of("ftp://api.blinksession.com/v1");

  EXPECT_NE(message.find("scheme \"ftp\" is not supported"), std::string::npos) << message;
}

TEST(Url, RelativeUrlRejected) {
  EXPECT_NE(rejection_of("api.blinksession.com/v1").find("not an absolute URL"), std::string::npos);
  EXPECT_NE(rejection_of("").find("not an absolute URL"), std::string::npos);
}

TEST(Url, MissingHostRejected) {
  EXPECT_NE(rejection_of("https:///v1").find("no host name"), std::string::npos);
}

TEST(Url, CheckBaseUrlReturnsProblem) {
  EXPECT_FALSE(check_base_url("https://api.blinksession.com/v1").has_value());
  const auto problem = check_base_url("http://api.blinksession.com/v1");
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("use https"), std::string::npos) << *problem;
}

TEST(Url, LoopbackHosts) {
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.255.0.9"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("128.0.0.1"));
  EXPECT_FALSE(is_loopback_host("::"));
  EXPECT_FALSE(is_loopback_host("example.com"));
  EXPECT_FALSE(is_loopback_host(""));
}

}  // namespace
}  // namespace blink_sync
