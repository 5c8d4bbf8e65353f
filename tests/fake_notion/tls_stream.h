// TLS for the fake Notion: the server context (TLS 1.2+, ALPN http/1.1, the generated
// certificate) and one connection's I/O over a non-blocking socket. Every wait has a deadline
// and also ends when the server's stop descriptor becomes readable.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

#include "certificate.h"
#include "util/result.h"

namespace notion_mcp::fake_notion {

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

util::Result<SslCtxPtr> make_server_context(const Certificate& certificate);

enum class IoStatus { kOk, kClosed, kTimeout, kStopped, kError };

class TlsStream {
 public:
  // Takes ownership of the connected non-blocking socket `fd`. `stop_fd` is never read.
  TlsStream(SSL_CTX* ctx, int fd, int stop_fd);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  IoStatus handshake(int timeout_ms);
  // Appends what arrives (at least one byte on kOk).
  IoStatus read_some(std::string& out, int timeout_ms);
  IoStatus write_all(std::string_view data, int timeout_ms);
  // Sends close_notify and FIN, then drains what the peer still sends (bounded), so an early
  // answer (413, a truncated body) is not destroyed by a TCP reset before the peer reads it.
  void close_gracefully();
  // Sleeps up to `ms`. kOk when the time is up, kStopped when the server is stopping, kClosed
  // when the peer hung up meanwhile (a client that cancelled the request).
  IoStatus sleep(int ms) const;

 private:
  enum class Step { kDone, kRetry, kFailed };
  // Interprets an SSL_* return value; on kRetry it has waited for the socket.
  Step after_call(int result, long long deadline_ms, IoStatus& status);
  IoStatus wait(short events, long long deadline_ms) const;

  SSL* ssl_ = nullptr;
  int fd_;
  int stop_fd_;
};

}  // namespace notion_mcp::fake_notion
