#include "auth/callback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace notion_mcp::auth {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kMaxConnections = 8;
constexpr int kSendTimeoutMs = 2000;
constexpr int kDrainTimeoutMs = 500;

struct Connection {
  int fd = -1;
  std::string received;
  Clock::time_point deadline;
};

void close_connection(Connection& connection) {
  // The request may hold the authorization code.
  sodium_memzero(connection.received.data(), connection.received.size());
  connection.received.clear();
  if (connection.fd >= 0) ::close(connection.fd);
  connection.fd = -1;
}

int poll_timeout(Clock::time_point until) {
  auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60000));
}

// Writes the whole response (bounded in time), then closes gently: shutting down our side and
// reading what the browser still sends avoids a reset that could discard the page.
void respond_and_close(Connection& connection, const std::string& response) {
  size_t sent = 0;
  auto until = Clock::now() + milliseconds(kSendTimeoutMs);
  while (sent < response.size()) {  // ends when all is sent, on error, or at `until`
    ssize_t n = ::send(connection.fd, response.data() + sent, response.size() - sent,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{connection.fd, POLLOUT, 0};
      if (::poll(&p, 1, poll_timeout(until)) <= 0) break;
      continue;
    }
    break;
  }
  ::shutdown(connection.fd, SHUT_WR);
  until = Clock::now() + milliseconds(kDrainTimeoutMs);
  char sink[1024];
  for (int i = 0; i < 64; ++i) {  // bounded: at most 64 KiB or the drain timeout
    pollfd p{connection.fd, POLLIN, 0};
    if (::poll(&p, 1, poll_timeout(until)) <= 0) break;
    ssize_t n = ::recv(connection.fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n <= 0) break;
  }
  sodium_memzero(sink, sizeof sink);
  close_connection(connection);
}

}  // namespace

util::Result<LoopbackRedirect> parse_redirect_uri(std::string_view uri) {
  auto refuse = [&](std::string why) {
    return util::make_error("invalid_redirect_uri",
                            "The redirect URI " + std::string(uri) + " " + why + ".",
                            "Use a loopback address such as " + std::string(kDefaultRedirectUri) +
                                ", exactly as registered in your Notion connection.");
  };
  constexpr std::string_view kScheme = "http://";
  if (uri.size() > 512)
    return util::make_error("invalid_redirect_uri", "The redirect URI is too long.");
  if (uri.substr(0, kScheme.size()) != kScheme) {
    return refuse("must start with http:// (the listener on this machine speaks plain HTTP)");
  }
  std::string_view rest = uri.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return refuse("must not contain user info");
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    return refuse("needs an explicit port, because Notion matches redirect URIs exactly");
  }
  std::string_view host = authority.substr(0, colon);
  std::string_view port_text = authority.substr(colon + 1);
  if (host != "127.0.0.1" && host != "localhost") {
    return refuse(
        "must use 127.0.0.1 or localhost: the listener accepts connections from this "
        "machine only");
  }
  unsigned port = 0;
  if (port_text.empty() || port_text.size() > 5) return refuse("has an invalid port");
  for (char c : port_text) {
    if (c < '0' || c > '9') return refuse("has an invalid port");
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port == 0 || port > 65535) return refuse("has a port outside 1-65535");
  if (path.empty() || path[0] != '/') return refuse("needs a path such as /callback");
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (c == '?' || c == '#') return refuse("must not contain a query or fragment");
    if (u <= 0x20 || u >= 0x7f) return refuse("has invalid characters in its path");
  }
  LoopbackRedirect redirect;
  redirect.uri = std::string(uri);
  redirect.host = std::string(host);
  redirect.port = static_cast<uint16_t>(port);
  redirect.path = std::string(path);
  return redirect;
}

util::Result<CallbackListener> CallbackListener::bind(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return util::make_error("listen_failed", std::string("Could not create the login listener: ") +
                                                 std::strerror(errno) + ".");
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 16) != 0) {
    int error = errno;
    ::close(fd);
    std::string where = "127.0.0.1:" + std::to_string(port);
    if (error == EADDRINUSE) {
      return util::make_error(
          "port_in_use",
          "Port " + std::to_string(port) +
              " on 127.0.0.1 is already in use, so the login "
              "cannot receive Notion's callback there.",
          "Stop the program using it (perhaps an earlier `notion-mcp login` still waiting), or "
          "pass --redirect-uri with another port and register that exact URI in your Notion "
          "connection.");
    }
    return util::make_error("listen_failed",
                            "Could not listen on " + where + ": " + std::strerror(error) + ".");
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return CallbackListener(fd, ntohs(address.sin_port));
}

CallbackListener::CallbackListener(CallbackListener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), port_(other.port_) {}

CallbackListener& CallbackListener::operator=(CallbackListener&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    port_ = other.port_;
  }
  return *this;
}

CallbackListener::~CallbackListener() { close(); }

void CallbackListener::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

util::Result<CallbackResult> CallbackListener::wait(std::string_view callback_path,
                                                    std::string_view state,
                                                    const ListenOptions& options) {
  if (fd_ < 0) return util::make_error("listen_failed", "The login listener is closed.");
  const auto deadline = Clock::now() + options.timeout;
  std::vector<Connection> connections;
  auto finish = [&] {
    for (auto& connection : connections) close_connection(connection);
    close();
  };

  for (;;) {  // ends with a callback that ends the login, or at the deadline
    auto now = Clock::now();
    if (now >= deadline) {
      finish();
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count();
      return util::make_error(
          "login_timeout",
          "No answer from Notion arrived within " + std::to_string(seconds) +
              " seconds, so the login stopped and nothing was stored.",
          "Run `notion-mcp login` again and finish the authorization in the browser (use "
          "--timeout for more time, or --no-browser to open the URL yourself).");
    }
    // Connections that did not send a request in time are dropped.
    for (auto& connection : connections) {
      if (connection.deadline <= now) close_connection(connection);
    }
    std::erase_if(connections, [](const Connection& c) { return c.fd < 0; });

    Clock::time_point wake = deadline;
    std::vector<pollfd> fds;
    bool accepting = connections.size() < kMaxConnections;
    if (accepting) fds.push_back({fd_, POLLIN, 0});
    for (const auto& connection : connections) {
      fds.push_back({connection.fd, POLLIN, 0});
      wake = std::min(wake, connection.deadline);
    }
    int ready = ::poll(fds.data(), fds.size(), poll_timeout(wake));
    if (ready < 0 && errno != EINTR) {
      finish();
      return util::make_error(
          "listen_failed", std::string("The login listener failed: ") + std::strerror(errno) + ".");
    }
    if (ready <= 0) continue;

    size_t first_connection = accepting ? 1 : 0;
    // Existing connections first (their indices shift once new ones are added).
    for (size_t i = first_connection; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Connection& connection = connections[i - first_connection];
      char buffer[2048];
      size_t room = kMaxRequestHeadBytes + 1 - connection.received.size();
      ssize_t n = ::recv(connection.fd, buffer, std::min(room, sizeof buffer), MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) {
        close_connection(connection);
        continue;
      }
      connection.received.append(buffer, static_cast<size_t>(n));
      sodium_memzero(buffer, sizeof buffer);
      HeadParse parse = parse_request_head(connection.received);
      if (parse.status == HeadStatus::incomplete) continue;
      CallbackResult result = classify_callback(parse, callback_path, state);
      if (options.on_request) options.on_request(result);
      if (result.verdict == CallbackVerdict::success && options.complete &&
          !options.complete(result)) {
        result.verdict = CallbackVerdict::not_completed;
      }
      respond_and_close(connection, callback_response(result.verdict));
      if (ends_login(result.verdict)) {
        finish();
        return result;
      }
    }
    if (accepting && (fds[0].revents & POLLIN) != 0) {
      for (size_t i = 0; i < kMaxConnections && connections.size() < kMaxConnections; ++i) {
        int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (client < 0) break;
        connections.push_back(Connection{client, {}, Clock::now() + options.request_timeout});
      }
    }
  }
}

}  // namespace notion_mcp::auth
