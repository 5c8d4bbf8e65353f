#include "certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <utility>

namespace notion_mcp::fake_notion {
namespace {

util::Error openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char detail[256] = "no OpenSSL detail";
  if (code != 0) ERR_error_string_n(code, detail, sizeof detail);
  ERR_clear_error();
  return util::make_error("certificate_error", "Could not generate the test certificate: " + what +
                                                   " (" + detail + ").");
}

KeyPtr generate_p256_key() { return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

// A random positive 127-bit serial, so repeated runs never collide in a client's cache.
bool set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  if (bn == nullptr) return false;
  bool ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  return ok;
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Fills the fields every certificate here shares: version 3, serial, validity, subject, key.
bool set_common_fields(X509* cert, EVP_PKEY* key, const char* common_name, int valid_days) {
  if (X509_set_version(cert, 2) != 1 || !set_random_serial(cert)) return false;
  if (X509_gmtime_adj(X509_getm_notBefore(cert), -3600) == nullptr) return false;
  if (X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * valid_days) == nullptr) return false;
  X509_NAME* name = X509_get_subject_name(cert);
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("notion-mcp tests"), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                                 0) != 1) {
    return false;
  }
  return X509_set_pubkey(cert, key) == 1;
}

}  // namespace

util::Result<Certificate> generate_certificate(int valid_days) {
  KeyPtr ca_key = generate_p256_key();
  KeyPtr leaf_key = generate_p256_key();
  if (!ca_key || !leaf_key) return openssl_error("EC P-256 key generation failed");

  CertPtr ca(X509_new());
  if (!ca || !set_common_fields(ca.get(), ca_key.get(), "notion-mcp fake Notion CA", valid_days) ||
      X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) != 1 ||
      !add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash") ||
      !add_extension(ca.get(), ca.get(), NID_authority_key_identifier, "keyid:always") ||
      X509_sign(ca.get(), ca_key.get(), EVP_sha256()) == 0) {
    return openssl_error("building the CA certificate failed");
  }

  CertPtr leaf(X509_new());
  if (!leaf || !set_common_fields(leaf.get(), leaf_key.get(), "localhost", valid_days) ||
      X509_set_issuer_name(leaf.get(), X509_get_subject_name(ca.get())) != 1 ||
      !add_extension(leaf.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(leaf.get(), ca.get(), NID_key_usage, "critical,digitalSignature") ||
      !add_extension(leaf.get(), ca.get(), NID_ext_key_usage, "serverAuth") ||
      !add_extension(leaf.get(), ca.get(), NID_subject_alt_name,
                     "IP:127.0.0.1,IP:::1,DNS:localhost") ||
      !add_extension(leaf.get(), ca.get(), NID_subject_key_identifier, "hash") ||
      !add_extension(leaf.get(), ca.get(), NID_authority_key_identifier, "keyid:always") ||
      X509_sign(leaf.get(), ca_key.get(), EVP_sha256()) == 0) {
    return openssl_error("building the server certificate failed");
  }

  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio_X509(bio, ca.get()) != 1) {
    BIO_free(bio);
    return openssl_error("encoding the CA certificate as PEM failed");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);

  return Certificate{std::move(ca), std::move(leaf), std::move(leaf_key), std::move(pem)};
}

}  // namespace notion_mcp::fake_notion
