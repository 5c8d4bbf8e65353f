#include "tls_stream.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace notion_mcp::fake_notion {
namespace {

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Picks http/1.1 when the client offers it; without it the handshake goes on without ALPN.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void*) {
  constexpr std::string_view kHttp11 = "http/1.1";
  unsigned int i = 0;
  while (i < in_length) {
    unsigned int length = in[i];
    if (i + 1 + length > in_length) break;
    if (std::string_view(reinterpret_cast<const char*>(in + i + 1), length) == kHttp11) {
      *out = in + i + 1;
      *out_length = static_cast<unsigned char>(length);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + length;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

util::Error tls_error(const std::string& what) {
  char detail[256] = "no OpenSSL detail";
  if (unsigned long code = ERR_get_error(); code != 0)
    ERR_error_string_n(code, detail, sizeof detail);
  ERR_clear_error();
  return util::make_error("tls_error", "Could not set up TLS: " + what + " (" + detail + ").");
}

}  // namespace

util::Result<SslCtxPtr> make_server_context(const Certificate& certificate) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return tls_error("SSL_CTX_new failed");
  if (SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1) {
    return tls_error("TLS 1.2 could not be set as the minimum");
  }
  // A peer that closes without close_notify is an ordinary EOF to an HTTP server.
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate(ctx.get(), certificate.leaf.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), certificate.leaf_key.get()) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    return tls_error("the server certificate or key was refused");
  }
  if (SSL_CTX_add1_chain_cert(ctx.get(), certificate.ca.get()) != 1) {
    return tls_error("the CA certificate could not be added to the chain");
  }
  SSL_CTX_set_alpn_select_cb(ctx.get(), select_alpn, nullptr);
  return ctx;
}

TlsStream::TlsStream(SSL_CTX* ctx, int fd, int stop_fd) : fd_(fd), stop_fd_(stop_fd) {
  ssl_ = SSL_new(ctx);
  if (ssl_ != nullptr && SSL_set_fd(ssl_, fd_) != 1) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
}

TlsStream::~TlsStream() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ::close(fd_);
}

IoStatus TlsStream::wait(short events, long long deadline_ms) const {
  // Bounded: each pass either returns or waits at most until the deadline.
  for (;;) {
    long long remaining = deadline_ms - now_ms();
    if (remaining <= 0) return IoStatus::kTimeout;
    pollfd fds[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
    int ready = ::poll(fds, 2, static_cast<int>(remaining));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return IoStatus::kError;
    }
    if (fds[1].revents != 0) return IoStatus::kStopped;
    if (fds[0].revents != 0) return IoStatus::kOk;  // readiness or an error SSL will report
  }
}

TlsStream::Step TlsStream::after_call(int result, long long deadline_ms, IoStatus& status) {
  int error = SSL_get_error(ssl_, result);
  ERR_clear_error();
  switch (error) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      status = wait(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ms);
      return status == IoStatus::kOk ? Step::kRetry : Step::kFailed;
    case SSL_ERROR_ZERO_RETURN:
      status = IoStatus::kClosed;
      return Step::kFailed;
    default:
      status = IoStatus::kError;
      return Step::kFailed;
  }
}

IoStatus TlsStream::handshake(int timeout_ms) {
  if (ssl_ == nullptr) return IoStatus::kError;
  long long deadline = now_ms() + timeout_ms;
  for (;;) {  // ends on success, failure or the deadline
    int result = SSL_accept(ssl_);
    if (result == 1) return IoStatus::kOk;
    IoStatus status;
    if (after_call(result, deadline, status) == Step::kFailed) return status;
  }
}

IoStatus TlsStream::read_some(std::string& out, int timeout_ms) {
  long long deadline = now_ms() + timeout_ms;
  char buffer[16 * 1024];
  for (;;) {  // ends on data, failure or the deadline
    int result = SSL_read(ssl_, buffer, sizeof buffer);
    if (result > 0) {
      out.append(buffer, static_cast<size_t>(result));
      return IoStatus::kOk;
    }
    IoStatus status;
    if (after_call(result, deadline, status) == Step::kFailed) return status;
  }
}

IoStatus TlsStream::write_all(std::string_view data, int timeout_ms) {
  long long deadline = now_ms() + timeout_ms;
  while (!data.empty()) {  // each pass writes bytes or waits until the deadline
    int chunk = static_cast<int>(std::min<size_t>(data.size(), 1 << 20));
    int result = SSL_write(ssl_, data.data(), chunk);
    if (result > 0) {
      data.remove_prefix(static_cast<size_t>(result));
      continue;
    }
    IoStatus status;
    if (after_call(result, deadline, status) == Step::kFailed) return status;
  }
  return IoStatus::kOk;
}

void TlsStream::close_gracefully() {
  constexpr int kDrainMs = 1000;
  constexpr size_t kDrainBytes = 16 * 1024 * 1024;
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);  // one non-blocking attempt: close_notify goes out or the socket is gone
    ERR_clear_error();
  }
  ::shutdown(fd_, SHUT_WR);
  long long deadline = now_ms() + kDrainMs;
  size_t drained = 0;
  char buffer[16 * 1024];
  while (drained < kDrainBytes && wait(POLLIN, deadline) == IoStatus::kOk) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;
    if (n > 0) drained += static_cast<size_t>(n);
  }
}

IoStatus TlsStream::sleep(int ms) const {
  // Only a hang-up of the peer counts, not data: POLLIN is not asked for on the connection.
  pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {fd_, POLLRDHUP, 0}};
  long long deadline = now_ms() + ms;
  for (;;) {  // ends at the deadline, when stopping, or when the peer hangs up
    long long remaining = deadline - now_ms();
    if (remaining <= 0) return IoStatus::kOk;
    int ready = ::poll(fds, 2, static_cast<int>(remaining));
    if (ready < 0 && errno != EINTR) return IoStatus::kError;
    if (ready <= 0) continue;
    if (fds[0].revents != 0) return IoStatus::kStopped;
    if (fds[1].revents != 0) return IoStatus::kClosed;
  }
}

}  // namespace notion_mcp::fake_notion
