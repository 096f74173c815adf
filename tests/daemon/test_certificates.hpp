#pragma once

#include <openssl/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace blink_sync::testing {

// A certificate and its private key, both PEM.
struct Identity {
  std::string certificate;
  std::string private_key;
};

// What a server certificate says about itself.
struct CertificateSpec {
  std::string common_name = "blink-sync test server";
  std::vector<std::string> dns_names;     // subjectAltName DNS entries
  std::vector<std::string> ip_addresses;  // subjectAltName IP entries
  // Validity relative to the moment the certificate is issued.
  std::chrono::seconds valid_from{-std::chrono::hours(1)};
  std::chrono::seconds valid_until{std::chrono::hours(24)};
};

// A certificate authority made in memory at test time (P-256 keys,
// SHA-256 signatures), so no test depends on files that can expire.
class TestAuthority {
 public:
  explicit TestAuthority(const std::string& name);
  ~TestAuthority();
  TestAuthority(const TestAuthority&) = delete;
  TestAuthority& operator=(const TestAuthority&) = delete;

  // Returns the authority's own certificate, PEM, for a ca_file.
  std::string certificate_pem() const;

  // Issues a server certificate signed by this authority. Throws
  // std::runtime_error when OpenSSL fails.
  Identity issue(const CertificateSpec& spec) const;

 private:
  EVP_PKEY* key_ = nullptr;
  X509* certificate_ = nullptr;
};

}  // namespace blink_sync::testing
