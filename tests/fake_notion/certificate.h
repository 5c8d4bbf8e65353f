// In-memory test PKI for the fake Notion: a throw-away CA and a leaf certificate for 127.0.0.1,
// ::1 and localhost, both EC P-256, generated at start-up. Nothing touches the disk here; the
// caller writes ca_pem where clients can find it.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "util/result.h"

namespace notion_mcp::fake_notion {

struct OpenSslDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509* cert) const { X509_free(cert); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter>;
using CertPtr = std::unique_ptr<X509, OpenSslDeleter>;

struct Certificate {
  CertPtr ca;       // self-signed, CA:TRUE, pathlen 0: what clients trust
  CertPtr leaf;     // signed by ca, serverAuth, subjectAltName IP/DNS for loopback
  KeyPtr leaf_key;  // the server's private key (the CA key is discarded after signing)
  std::string ca_pem;
};

// Generates a fresh CA and leaf, valid from an hour ago for `valid_days` days.
util::Result<Certificate> generate_certificate(int valid_days = 2);

}  // namespace notion_mcp::fake_notion
