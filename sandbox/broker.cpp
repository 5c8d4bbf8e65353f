#include "sandbox/broker.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "sandbox/status.h"

namespace notion_mcp::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

int ms_until(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string endpoint_text(const Endpoint& endpoint) {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

ipc::Message failure(uint32_t id, ipc::FailureCode code, std::string message) {
  if (message.size() > ipc::kMaxErrorLength) message.resize(ipc::kMaxErrorLength);
  // Keep only printable ASCII so the answer always encodes, whatever the handler wrote.
  for (char& c : message) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return ipc::Message{id, ipc::Failure{code, std::move(message)}};
}

// Connects a non-blocking socket to one address within the deadline.
util::Result<UniqueFd> connect_address(const addrinfo& ai, Clock::time_point deadline) {
  UniqueFd fd(
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol));
  if (!fd) return util::make_error("connect", errno_reason("socket", errno));
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return util::make_error("connect", errno_reason("connect", errno));
    pollfd pfd{fd.get(), POLLOUT, 0};
    int ready;
    do {
      ready = ::poll(&pfd, 1, ms_until(deadline));
    } while (ready < 0 && errno == EINTR);
    if (ready == 0) return util::make_error("connect", "connect timed out");
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error != 0) return util::make_error("connect", errno_reason("connect", error));
  }
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

class SignalForwarding {
 public:
  SignalForwarding() {
    sigset_t mask = stop_signal_set();
    ::sigprocmask(SIG_BLOCK, &mask, &old_);
    fd_.reset(::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
  }
  ~SignalForwarding() {
    fd_.reset();
    ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  int fd() const { return fd_.get(); }

 private:
  sigset_t old_{};
  UniqueFd fd_;
};

class BrokerLoop {
 public:
  BrokerLoop(WorkerProcess& worker, const BrokerOptions& options, const BrokerHandlers& handlers)
      : worker_(worker), options_(options), handlers_(handlers) {}

  BrokerOutcome run() {
    SignalForwarding signals;
    if (options_.max_runtime_ms >= 0) {
      kill_deadline_ = Clock::now() + std::chrono::milliseconds(options_.max_runtime_ms);
    }
    for (;;) {
      int status = 0;
      pid_t reaped = ::waitpid(worker_.pid, &status, WNOHANG);
      if (reaped == worker_.pid) return finish(status);
      if (reaped < 0 && errno != EINTR) {
        return {1, 0, errno_reason("waiting for the worker", errno)};
      }
      pollfd fds[3];
      nfds_t count = 0;
      int channel_index = -1, signal_index = -1;
      if (channel_open_) {
        channel_index = static_cast<int>(count);
        fds[count++] = {worker_.channel.get(), POLLIN, 0};
      }
      if (signals.fd() >= 0) {
        signal_index = static_cast<int>(count);
        fds[count++] = {signals.fd(), POLLIN, 0};
      }
      if (worker_.pidfd) fds[count++] = {worker_.pidfd.get(), POLLIN, 0};
      // Without a pidfd (kernels before 5.3) the loop checks on the worker ten times a second.
      int timeout = worker_.pidfd ? -1 : 100;
      if (kill_deadline_)
        timeout =
            timeout < 0 ? ms_until(*kill_deadline_) : std::min(timeout, ms_until(*kill_deadline_));
      int ready = ::poll(fds, count, timeout);
      if (ready < 0 && errno != EINTR) return {1, 0, errno_reason("poll in the broker", errno)};
      if (kill_deadline_ && Clock::now() >= *kill_deadline_) {
        log("the worker did not stop in time; killing it");
        send_signal(SIGKILL);
        kill_deadline_.reset();
      }
      if (ready <= 0) continue;
      if (signal_index >= 0 && fds[signal_index].revents != 0) forward_signal(signals.fd());
      if (channel_index >= 0 && fds[channel_index].revents != 0) serve(/*draining=*/false);
    }
  }

 private:
  void log(const std::string& message) const {
    if (options_.logger != nullptr) options_.logger->warning("sandbox broker: " + message);
  }

  void send_signal(int sig) {
    if (worker_.pidfd &&
        ::syscall(SYS_pidfd_send_signal, worker_.pidfd.get(), sig, nullptr, 0) == 0) {
      return;
    }
    ::kill(worker_.pid, sig);
  }

  void stop_worker(int sig) {
    send_signal(sig);
    if (!kill_deadline_) {
      kill_deadline_ = Clock::now() + std::chrono::milliseconds(options_.stop_grace_ms);
    }
  }

  void forward_signal(int fd) {
    signalfd_siginfo info{};
    while (::read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      stop_worker(SIGTERM);
    }
  }

  void violation(const std::string& why) {
    log("the worker broke the protocol and is stopped: " + why);
    if (protocol_error_.empty()) protocol_error_ = why;
    channel_open_ = false;
    send_signal(SIGKILL);
  }

  // Handles every waiting message. While draining (the worker has exited) only records are
  // kept; nothing is answered or connected.
  void serve(bool draining) {
    while (channel_open_) {
      auto received = ipc::try_receive_message(worker_.channel.get(), ipc::Sender::worker);
      if (!received.ok()) {
        if (received.error().code == "ipc_closed") {
          channel_open_ = false;
          // The worker closed its end: it is on its way out, and gets the grace period to go.
          if (!draining && !kill_deadline_) {
            kill_deadline_ = Clock::now() + std::chrono::milliseconds(options_.stop_grace_ms);
          }
        } else {
          violation(received.error().message);
        }
        return;
      }
      if (!received->has_value()) return;
      const ipc::Message& request = (*received)->message;
      ipc::Type type = ipc::type_of(request.body);
      if (draining && type != ipc::Type::audit && type != ipc::Type::ready) continue;
      Answer answer = handle_request(request, options_, handlers_);
      if (!answer.reply || draining) continue;
      auto sent = ipc::send_message(worker_.channel.get(), *answer.reply, answer.descriptor.get(),
                                    options_.reply_timeout_ms);
      if (!sent.ok()) {
        if (sent.error().code == "ipc_closed") {
          channel_open_ = false;
        } else {
          violation("it does not take its answers (" + sent.error().message + ")");
        }
        return;
      }
    }
  }

  BrokerOutcome finish(int status) {
    serve(/*draining=*/true);
    if (!protocol_error_.empty()) {
      return {kExitProtocolViolation, status,
              "the worker sent a malformed message and was stopped: " + protocol_error_};
    }
    BrokerOutcome outcome{exit_code_from_wait_status(status), status, {}};
    if (!WIFEXITED(status)) outcome.reason = "the worker " + describe_wait_status(status);
    return outcome;
  }

  WorkerProcess& worker_;
  const BrokerOptions& options_;
  const BrokerHandlers& handlers_;
  bool channel_open_ = true;
  std::optional<Clock::time_point> kill_deadline_;
  std::string protocol_error_;
};

}  // namespace

sigset_t stop_signal_set() {
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, sig);
  return mask;
}

void block_stop_signals() {
  sigset_t mask = stop_signal_set();
  ::sigprocmask(SIG_BLOCK, &mask, nullptr);
}

bool endpoint_allowed(const ipc::Connect& request, const Endpoint& endpoint) {
  return request.port == endpoint.port && request.host.size() == endpoint.host.size() &&
         ::strncasecmp(request.host.c_str(), endpoint.host.c_str(), endpoint.host.size()) == 0;
}

util::Result<UniqueFd> connect_endpoint(const Endpoint& endpoint, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(endpoint.port);
  int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return util::make_error("unreachable",
                            "Could not resolve " + endpoint.host + ": " + ::gai_strerror(rc) + ".");
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
  std::string last_error = "no address";
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    auto fd = connect_address(*ai, deadline);
    if (fd.ok()) return fd;
    last_error = fd.error().message;
    if (ms_until(deadline) == 0) break;
  }
  return util::make_error(
      "unreachable", "Could not connect to " + endpoint_text(endpoint) + ": " + last_error + ".");
}

Answer handle_request(const ipc::Message& request, const BrokerOptions& options,
                      const BrokerHandlers& handlers) {
  Answer answer;
  uint32_t id = request.id;
  if (const auto* connect = std::get_if<ipc::Connect>(&request.body)) {
    if (!endpoint_allowed(*connect, options.endpoint)) {
      if (options.logger != nullptr) {
        options.logger->warning("sandbox broker: refused a connection to " + connect->host + ":" +
                                std::to_string(connect->port) + " (only " +
                                endpoint_text(options.endpoint) + " is allowed)");
      }
      answer.reply = failure(id, ipc::FailureCode::refused,
                             "Only " + endpoint_text(options.endpoint) + " may be reached.");
      return answer;
    }
    auto fd = connect_endpoint(options.endpoint, options.connect_timeout_ms);
    if (!fd.ok()) {
      answer.reply = failure(id, ipc::FailureCode::unreachable, fd.error().message);
      return answer;
    }
    answer.reply = ipc::Message{id, ipc::Connected{}};
    answer.descriptor = std::move(fd).value();
  } else if (std::holds_alternative<ipc::TokenRequest>(request.body) ||
             std::holds_alternative<ipc::TokenRejected>(request.body)) {
    util::Result<ipc::TokenGrant> grant =
        util::make_error("unauthorized", "No credentials are configured; run `notion-mcp login`.");
    if (const auto* rejected = std::get_if<ipc::TokenRejected>(&request.body)) {
      if (handlers.token_rejected) grant = handlers.token_rejected(rejected->generation);
    } else if (handlers.token) {
      grant = handlers.token();
    }
    if (grant.ok()) {
      answer.reply = ipc::Message{id, std::move(grant).value()};
    } else {
      answer.reply = failure(id, ipc::FailureCode::unauthorized, grant.error().message);
    }
  } else if (const auto* upload = std::get_if<ipc::OpenUpload>(&request.body)) {
    if (!handlers.open_upload) {
      answer.reply = failure(id, ipc::FailureCode::refused,
                             "File uploads are not enabled on this server (no --upload-root).");
      return answer;
    }
    auto opened = handlers.open_upload(upload->path);
    if (!opened.ok()) {
      const util::Error& error = opened.error();
      std::string text = error.hint.empty() ? error.message : error.message + " " + error.hint;
      answer.reply = failure(
          id, error.code == "refused" ? ipc::FailureCode::refused : ipc::FailureCode::internal,
          std::move(text));
      return answer;
    }
    answer.reply = ipc::Message{id, ipc::UploadOpened{}};
    answer.descriptor = std::move(opened).value();
  } else if (const auto* audit = std::get_if<ipc::Audit>(&request.body)) {
    if (handlers.audit) handlers.audit(audit->line);
  } else if (const auto* ready = std::get_if<ipc::Ready>(&request.body)) {
    if (handlers.ready) handlers.ready(ready->layers);
  }
  return answer;
}

BrokerOutcome run_broker(WorkerProcess& worker, const BrokerOptions& options,
                         const BrokerHandlers& handlers) {
  return BrokerLoop(worker, options, handlers).run();
}

util::Result<ipc::Received> call_broker(int channel, const ipc::Message& request, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  if (auto sent = ipc::send_message(channel, request, -1, timeout_ms); !sent.ok()) {
    return sent.error();
  }
  auto received = ipc::receive_message(channel, ipc::Sender::broker, ms_until(deadline));
  if (!received.ok()) return received;
  if (received->message.id != request.id) {
    return util::make_error("ipc_malformed",
                            "The broker answered another request than the one asked.");
  }
  return received;
}

}  // namespace notion_mcp::sandbox
