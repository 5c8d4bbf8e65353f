// The fake Notion's listener: TCP on loopback (127.0.0.1, optionally ::1), TLS, one thread per
// connection running HTTP/1.1 keep-alive with the bounded parser, replies from a RequestHandler.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "certificate.h"
#include "http_parser.h"
#include "request_handler.h"
#include "tls_stream.h"
#include "util/result.h"

namespace notion_mcp::fake_notion {

struct ServerOptions {
  int port = 0;       // 0: an ephemeral port
  bool ipv6 = false;  // also listen on [::1] at the same port
  ParserLimits limits;
  int handshake_timeout_ms = 10'000;
  int request_timeout_ms = 30'000;  // silence in the middle of a request
  int idle_timeout_ms = 300'000;    // silence between keep-alive requests
  int write_timeout_ms = 30'000;
  int max_connections = 256;  // more are accepted and closed at once
};

class TlsServer {
 public:
  // Binds and listens; nothing is accepted before start().
  static util::Result<std::unique_ptr<TlsServer>> listen(const ServerOptions& options,
                                                         const Certificate& certificate,
                                                         RequestHandler& handler);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  int port() const { return port_; }
  void start();
  // Wakes every thread, closes the listeners and joins everything; returns within about the
  // time the slowest in-progress handler call takes.
  void stop();

 private:
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  TlsServer(const ServerOptions& options, SslCtxPtr ctx, RequestHandler& handler);
  util::Result<void> open_listeners();
  void accept_loop();
  void accept_from(int listen_fd);
  void reap_workers(bool all);
  void serve_connection(int fd);
  void http_loop(TlsStream& stream);

  ServerOptions options_;
  SslCtxPtr ctx_;
  RequestHandler& handler_;
  std::vector<int> listen_fds_;
  int stop_fd_ = -1;  // eventfd: readable once stop() was called, never read
  int port_ = 0;
  std::thread acceptor_;
  std::mutex workers_mutex_;
  std::list<Worker> workers_;
  bool stopped_ = false;
};

}  // namespace notion_mcp::fake_notion
