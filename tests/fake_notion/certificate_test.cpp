#include "certificate.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace notion_mcp::fake_notion {
namespace {

TEST(Certificate, LeafVerifiesAgainstTheWrittenCaForEveryLoopbackName) {
  auto certificate = generate_certificate();
  ASSERT_TRUE(certificate) << certificate.error().message;

  // Trust only what a client would read from --ca-out.
  BIO* bio =
      BIO_new_mem_buf(certificate->ca_pem.data(), static_cast<int>(certificate->ca_pem.size()));
  CertPtr ca(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  ASSERT_TRUE(ca);

  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca.get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  ASSERT_EQ(X509_STORE_CTX_init(ctx, store, certificate->leaf.get(), nullptr), 1);
  X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  EXPECT_EQ(X509_verify_cert(ctx), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);

  EXPECT_EQ(X509_check_ip_asc(certificate->leaf.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(certificate->leaf.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_host(certificate->leaf.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_host(certificate->leaf.get(), "api.notion.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ca(certificate->leaf.get()), 0);
  EXPECT_EQ(X509_check_private_key(certificate->leaf.get(), certificate->leaf_key.get()), 1);
  EXPECT_TRUE(EVP_PKEY_is_a(certificate->leaf_key.get(), "EC"));
  EXPECT_EQ(EVP_PKEY_get_bits(certificate->leaf_key.get()), 256);
}

TEST(Certificate, EveryRunIsFresh) {
  auto first = generate_certificate();
  auto second = generate_certificate();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->ca_pem, second->ca_pem);
}

}  // namespace
}  // namespace notion_mcp::fake_notion
