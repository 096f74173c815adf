// The Blink client against an HTTPS server on 127.0.0.1 whose certificates
// come from an authority made at test time. The client connects only to
// "localhost" and "127.0.0.1". Other host names appear only inside
// certificates and are never resolved.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "client_harness.hpp"
#include "daemon/url.hpp"
#include "https_loopback_server.hpp"
#include "test_certificates.hpp"

namespace blink_sync::testing {
namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;

// A folder under the system's temporary folder, removed with its files.
class TempFolder {
 public:
  TempFolder()
      : path_(std::filesystem::temp_directory_path() /
              ("blink-sync-tls-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++))) {
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  std::string write(const std::string& name, const std::string& contents) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << contents;
    return file.string();
  }

 private:
  static inline int next_ = 0;
  std::filesystem::path path_;
};

class Tls : public ::testing::Test {
 protected:
  static CertificateSpec for_loopback() {
    CertificateSpec spec;
    spec.dns_names = {"localhost"};
    spec.ip_addresses = {"127.0.0.1"};
    return spec;
  }

  // Calls GET /staff/16 at `host` on the server, trusting only `ca_file`
  // (the system store when it is nullopt), with three attempts allowed.
  ApiResult call(const HttpsLoopbackServer& server, const std::string& host,
                 std::optional<std::string> ca_file) {
    ClientSetup setup;
    setup.max_attempts = 3;
    setup.base_url = "https://" + host + ":" + std::to_string(server.port()) + "/v1";
    setup.ca_file = std::move(ca_file);
    ClientHarness harness(scripted({}), setup);
    return harness.call(verb::get, "/staff/16");
  }

  static bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  TestAuthority authority_{"blink-sync test CA"};
  TempFolder folder_;
  std::string ca_file_ = folder_.write("ca.pem", authority_.certificate_pem());
};

TEST_F(Tls, ValidCertificateAcceptedByName) {
  HttpsLoopbackServer server(authority_.issue(for_loopback()));

  const auto result = call(server, "localhost", ca_file_);

  EXPECT_EQ(result.status, 200U) << result.message;
  EXPECT_EQ(result.body["data"]["id"], 16);
  EXPECT_EQ(server.requests(), 1U);
}

TEST_F(Tls, ValidCertificateAcceptedByAddress) {
  HttpsLoopbackServer server(authority_.issue(for_loopback()));

  const auto result = call(server, "127.0.0.1", ca_file_);

  EXPECT_EQ(result.status, 200U) << result.message;
}

TEST_F(Tls, OtherHostNameRejected) {
  auto spec = for_loopback();
  spec.dns_names = {"blink.example.invalid"};
  spec.ip_addresses.clear();
  HttpsLoopbackServer server(authority_.issue(spec));

  const auto result = call(server, "localhost", ca_file_);

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(contains(result.message, "certificate was rejected: hostname mismatch")) << result.message;
  EXPECT_TRUE(contains(result.message, "\"localhost\"")) << result.message;
  EXPECT_EQ(server.requests(), 0U);
  EXPECT_EQ(server.handshakes(), 1U) << "a rejected certificate must not be retried";
}

TEST_F(Tls, AddressMissingFromCertificateRejected) {
  auto spec = for_loopback();
  spec.ip_addresses.clear();
  HttpsLoopbackServer server(authority_.issue(spec));

  const auto result = call(server, "127.0.0.1", ca_file_);

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(contains(result.message, "certificate was rejected: IP address mismatch")) << result.message;
  EXPECT_EQ(server.handshakes(), 1U);
}

TEST_F(Tls, ExpiredCertificateRejected) {
  auto spec = for_loopback();
  spec.valid_from = -std::chrono::hours(48);
  spec.valid_until = -std::chrono::hours(24);
  HttpsLoopbackServer server(authority_.issue(spec));

  const auto result = call(server, "localhost", ca_file_);

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(contains(result.message, "certificate was rejected: certificate has expired")) << result.message;
  EXPECT_EQ(server.handshakes(), 1U);
}

TEST_F(Tls, NotYetValidCertificateRejected) {
  auto spec = for_loopback();
  spec.valid_from = std::chrono::hours(24);
  spec.valid_until = std::chrono::hours(48);
  HttpsLoopbackServer server(authority_.issue(spec));

  const auto result = call(server, "localhost", ca_file_);

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(contains(result.message, "certificate is not yet valid")) << result.message;
}

TEST_F(Tls, UnknownAuthorityRejected) {
  const TestAuthority stranger("another test CA");
  HttpsLoopbackServer server(stranger.issue(for_loopback()));

  const auto result = call(server, "localhost", ca_file_);

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(contains(result.message, "certificate was rejected: unable to get local issuer certificate"))
      << result.message;
  EXPECT_TRUE(contains(result.message, "blink.ca_file")) << result.message;
  EXPECT_EQ(server.handshakes(), 1U);
}

TEST_F(Tls, SystemStoreRejectsTestAuthority) {
  HttpsLoopbackServer server(authority_.issue(for_loopback()));

  const auto result = call(server, "localhost", std::nullopt);

  EXPECT_EQ(result.status, 0U);
  EXPECT_TRUE(contains(result.message, "certificate was rejected")) << result.message;
}

TEST_F(Tls, MissingCaFileNamed) {
  boost::asio::io_context io;
  TransportOptions options;
  options.ca_file = "/nonexistent/blink-ca.pem";

  try {
    HttpTransport transport(io.get_executor(), parse_endpoint("https://localhost:1/v1"), options);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_TRUE(contains(error.what(), "cannot load blink.ca_file \"/nonexistent/blink-ca.pem\"")) << error.what();
  }
}

TEST_F(Tls, CaFileWithoutCertificateRejected) {
  boost::asio::io_context io;
  TransportOptions options;
  options.ca_file = folder_.write("not-a-certificate.pem", "this is not PEM\n");

  EXPECT_THROW(HttpTransport(io.get_executor(), parse_endpoint("https://localhost:1/v1"), options),
               std::invalid_argument);
}

TEST_F(Tls, PlainHttpToRemoteHostRejected) {
  try {
    parse_endpoint("http://blink.example.invalid/v1");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_TRUE(contains(error.what(), "plain http is allowed only for a loopback")) << error.what();
  }
}

}  // namespace
}  // namespace blink_sync::testing
