#include "tls_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "http_writer.h"

namespace notion_mcp::fake_notion {
namespace {

constexpr int kBacklog = 128;
constexpr int kAcceptsPerWakeup = 64;
constexpr int kReapIntervalMs = 1000;

util::Error listen_error(const std::string& where, int error) {
  return util::make_error("listen_failed",
                          "Could not listen on " + where + ": " + std::strerror(error) + ".",
                          "Pick another --port, or leave it at 0 for an ephemeral one.");
}

// A non-blocking listening socket bound to `address`; -1 with errno set on failure.
int bind_listener(const sockaddr* address, socklen_t length, bool v6_only) {
  int fd = ::socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (v6_only) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (::bind(fd, address, length) != 0 || ::listen(fd, kBacklog) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

TlsServer::TlsServer(const ServerOptions& options, SslCtxPtr ctx, RequestHandler& handler)
    : options_(options), ctx_(std::move(ctx)), handler_(handler) {}

util::Result<std::unique_ptr<TlsServer>> TlsServer::listen(const ServerOptions& options,
                                                           const Certificate& certificate,
                                                           RequestHandler& handler) {
  auto ctx = make_server_context(certificate);
  if (!ctx) return ctx.error();
  std::unique_ptr<TlsServer> server(new TlsServer(options, std::move(*ctx), handler));
  server->stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (server->stop_fd_ < 0) {
    return util::make_error("listen_failed",
                            std::string("Could not create an eventfd: ") + std::strerror(errno));
  }
  if (auto opened = server->open_listeners(); !opened) return opened.error();
  return server;
}

util::Result<void> TlsServer::open_listeners() {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  v4.sin_port = htons(static_cast<uint16_t>(options_.port));
  int fd = bind_listener(reinterpret_cast<sockaddr*>(&v4), sizeof v4, false);
  if (fd < 0) return listen_error("127.0.0.1:" + std::to_string(options_.port), errno);
  listen_fds_.push_back(fd);
  socklen_t length = sizeof v4;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&v4), &length);
  port_ = ntohs(v4.sin_port);

  if (options_.ipv6) {
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    v6.sin6_addr = in6addr_loopback;
    v6.sin6_port = htons(static_cast<uint16_t>(port_));
    fd = bind_listener(reinterpret_cast<sockaddr*>(&v6), sizeof v6, true);
    if (fd < 0) {
      util::Error error = listen_error("[::1]:" + std::to_string(port_), errno);
      error.hint = "IPv6 may be disabled on this host's loopback; run without --ipv6.";
      return error;
    }
    listen_fds_.push_back(fd);
  }
  return {};
}

TlsServer::~TlsServer() {
  stop();
  for (int fd : listen_fds_) ::close(fd);
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void TlsServer::start() {
  acceptor_ = std::thread([this] { accept_loop(); });
}

void TlsServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (stop_fd_ >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(stop_fd_, &one, sizeof one);
  }
  if (acceptor_.joinable()) acceptor_.join();
  reap_workers(/*all=*/true);
}

void TlsServer::accept_loop() {
  std::vector<pollfd> fds;
  for (int fd : listen_fds_) fds.push_back({fd, POLLIN, 0});
  fds.push_back({stop_fd_, POLLIN, 0});
  for (;;) {  // ends when stop_fd_ becomes readable
    int ready = ::poll(fds.data(), fds.size(), kReapIntervalMs);
    if (ready < 0 && errno != EINTR) break;
    if (fds.back().revents != 0) break;
    for (size_t i = 0; i + 1 < fds.size(); ++i) {
      if (fds[i].revents & POLLIN) accept_from(fds[i].fd);
    }
    reap_workers(/*all=*/false);
  }
}

void TlsServer::accept_from(int listen_fd) {
  for (int i = 0; i < kAcceptsPerWakeup; ++i) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or a transient error; poll tells us when to retry
    std::lock_guard lock(workers_mutex_);
    if (static_cast<int>(workers_.size()) >= options_.max_connections) {
      ::close(fd);
      continue;
    }
    Worker& worker = workers_.emplace_back();
    worker.thread = std::thread([this, fd, &worker] {
      serve_connection(fd);
      worker.done.store(true);
    });
  }
}

void TlsServer::reap_workers(bool all) {
  std::list<Worker> finished;
  {
    std::lock_guard lock(workers_mutex_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      auto current = it++;
      if (all || current->done.load()) finished.splice(finished.end(), workers_, current);
    }
  }
  for (Worker& worker : finished) worker.thread.join();
}

void TlsServer::serve_connection(int fd) {
  handler_.connection_opened();
  {
    TlsStream stream(ctx_.get(), fd, stop_fd_);
    if (stream.handshake(options_.handshake_timeout_ms) == IoStatus::kOk) http_loop(stream);
  }
  handler_.connection_closed();
}

void TlsServer::http_loop(TlsStream& stream) {
  RequestParser parser(options_.limits);
  std::string received;
  // Ends when the peer closes, a wait times out, the server stops, or a reply closes.
  for (;;) {
    ParsedRequest request;
    ParseStatus status = parser.next(request);
    if (status == ParseStatus::kNeedMore) {
      int timeout = parser.mid_request() ? options_.request_timeout_ms : options_.idle_timeout_ms;
      received.clear();
      if (stream.read_some(received, timeout) != IoStatus::kOk) return;
      parser.append(received);
      continue;
    }
    if (status == ParseStatus::kContinue) {
      if (stream.write_all(continue_line(), options_.write_timeout_ms) != IoStatus::kOk) return;
      continue;
    }

    Reply reply = status == ParseStatus::kError
                      ? handler_.reject(parser.error_status(), parser.error_message())
                      : handler_.handle(request);
    bool keep_alive =
        status == ParseStatus::kRequest && request.keep_alive && !reply.close && !reply.truncate;
    if (reply.delay_ms > 0) {
      IoStatus slept = stream.sleep(reply.delay_ms);
      if (slept == IoStatus::kClosed) handler_.reply_abandoned();
      if (slept != IoStatus::kOk) return;
    }

    const std::string& body = reply.response.body;
    if (reply.truncate) {
      // Promise the whole body, deliver half of it (nothing when it is empty), hang up.
      size_t declared = body.empty() ? 16 : body.size();
      std::string partial = serialize_head(reply.response, false, declared);
      partial.append(body, 0, body.size() / 2);
      if (stream.write_all(partial, options_.write_timeout_ms) == IoStatus::kOk) {
        stream.close_gracefully();
      }
      return;
    }
    std::string wire = serialize_head(reply.response, keep_alive);
    wire += body;
    if (stream.write_all(wire, options_.write_timeout_ms) != IoStatus::kOk) return;
    if (!keep_alive) {
      stream.close_gracefully();
      return;
    }
  }
}

}  // namespace notion_mcp::fake_notion
