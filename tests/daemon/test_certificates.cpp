#include "test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <stdexcept>

namespace blink_sync::testing {
namespace {

void check(bool ok, const char* step) {
  if (!ok) {
    throw std::runtime_error(std::string("OpenSSL failed to ") + step + " for a test certificate");
  }
}

EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "generate a P-256 key");
  return key;
}

long next_serial() {
  static std::atomic<long> serial{1};
  return serial++;
}

// Adds one X.509v3 extension written in OpenSSL's configuration syntax.
void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  check(extension != nullptr, "build an extension");
  const bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  check(added, "add an extension");
}

// Returns an unsigned certificate for `key` named `common_name`, valid
// between the two offsets from now.
X509* new_certificate(EVP_PKEY* key, const std::string& common_name, std::chrono::seconds from,
                      std::chrono::seconds until) {
  X509* certificate = X509_new();
  check(certificate != nullptr, "allocate a certificate");
  check(X509_set_version(certificate, 2) == 1, "set the version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(certificate), next_serial()) == 1, "set the serial number");
  check(X509_gmtime_adj(X509_getm_notBefore(certificate), static_cast<long>(from.count())) != nullptr,
        "set notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(certificate), static_cast<long>(until.count())) != nullptr,
        "set notAfter");
  check(X509_set_pubkey(certificate, key) == 1, "set the public key");
  auto* name = X509_get_subject_name(certificate);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
        "set the common name");
  return certificate;
}

std::string to_pem(X509* certificate) {
  BIO* bio = BIO_new(BIO_s_mem());
  check(bio != nullptr && PEM_write_bio_X509(bio, certificate) == 1, "write a certificate");
  char* data = nullptr;
  const auto size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

std::string to_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  check(bio != nullptr && PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write a private key");
  char* data = nullptr;
  const auto size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

std::string subject_alt_names(const CertificateSpec& spec) {
  std::string names;
  for (const auto& dns : spec.dns_names) {
    names += (names.empty() ? "DNS:" : ",DNS:") + dns;
  }
  for (const auto& ip : spec.ip_addresses) {
    names += (names.empty() ? "IP:" : ",IP:") + ip;
  }
  return names;
}

}  // namespace

TestAuthority::TestAuthority(const std::string& name) : key_(new_key()) {
  certificate_ = new_certificate(key_, name, -std::chrono::hours(1), std::chrono::hours(24 * 30));
  check(X509_set_issuer_name(certificate_, X509_get_subject_name(certificate_)) == 1, "set the issuer");
  add_extension(certificate_, certificate_, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(certificate_, certificate_, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(certificate_, certificate_, NID_subject_key_identifier, "hash");
  check(X509_sign(certificate_, key_, EVP_sha256()) > 0, "sign the authority");
}

TestAuthority::~TestAuthority() {
  X509_free(certificate_);
  EVP_PKEY_free(key_);
}

std::string TestAuthority::certificate_pem() const { return to_pem(certificate_); }

Identity TestAuthority::issue(const CertificateSpec& spec) const {
  EVP_PKEY* key = new_key();
  X509* certificate = new_certificate(key, spec.common_name, spec.valid_from, spec.valid_until);
  check(X509_set_issuer_name(certificate, X509_get_subject_name(certificate_)) == 1, "set the issuer");
  add_extension(certificate, certificate_, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate, certificate_, NID_ext_key_usage, "serverAuth");
  add_extension(certificate, certificate_, NID_subject_key_identifier, "hash");
  add_extension(certificate, certificate_, NID_authority_key_identifier, "keyid");
  const auto names = subject_alt_names(spec);
  if (!names.empty()) {
    add_extension(certificate, certificate_, NID_subject_alt_name, names);
  }
  check(X509_sign(certificate, key_, EVP_sha256()) > 0, "sign a server certificate");

  Identity identity{to_pem(certificate), to_pem(key)};
  X509_free(certificate);
  EVP_PKEY_free(key);
  return identity;
}

}  // namespace blink_sync::testing
