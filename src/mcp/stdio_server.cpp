#include "mcp/stdio_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace notion_mcp::mcp {

StdioServer::StdioServer(util::EventLoop& loop, util::Logger& logger, StdioOptions options)
    : loop_(loop), logger_(logger), options_(options) {
  // Writing to a client that went away must end in EPIPE, not kill us mid-cleanup.
  ::signal(SIGPIPE, SIG_IGN);
  // Termination signals arrive as readable events, so shutdown runs on the loop like any work.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (::sigprocmask(SIG_BLOCK, &mask, nullptr) == 0) {
    signal_fd_ = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  }
  // Non-blocking stdout so a client that stops reading cannot stall the loop. Only for pipes
  // and sockets: the flag is shared with whoever else holds a terminal, so we leave ttys alone.
  struct stat st {};
  if (::fstat(options_.output_fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
    saved_output_flags_ = ::fcntl(options_.output_fd, F_GETFL);
    if (saved_output_flags_ >= 0) {
      ::fcntl(options_.output_fd, F_SETFL, saved_output_flags_ | O_NONBLOCK);
    }
  }
}

StdioServer::~StdioServer() {
  if (saved_output_flags_ >= 0) ::fcntl(options_.output_fd, F_SETFL, saved_output_flags_);
  if (signal_fd_ >= 0) {
    loop_.unwatch(signal_fd_);
    ::close(signal_fd_);
  }
  loop_.unwatch(options_.input_fd);
  loop_.unwatch(options_.output_fd);
}

void StdioServer::send(std::string line) {
  if (output_broken_) return;
  if (output_.empty()) {
    output_ = std::move(line);
  } else {
    output_ += line;
  }
  output_ += '\n';
  flush();
}

void StdioServer::flush() {
  while (output_offset_ < output_.size()) {
    ssize_t n = ::write(options_.output_fd, output_.data() + output_offset_,
                        output_.size() - output_offset_);
    if (n > 0) {
      output_offset_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      loop_.watch(options_.output_fd, POLLOUT, [this](short) { flush(); });
      return;
    }
    // EPIPE and friends: nobody reads our answers any more.
    output_broken_ = true;
    output_.clear();
    output_offset_ = 0;
    loop_.unwatch(options_.output_fd);
    return;
  }
  output_.clear();
  output_offset_ = 0;
  loop_.unwatch(options_.output_fd);
}

void StdioServer::begin_shutdown(Dispatcher& dispatcher, const char* why, bool let_calls_finish) {
  if (shutting_down_) return;
  shutting_down_ = true;
  logger_.info(std::string("shutting down: ") + why);
  loop_.unwatch(options_.input_fd);
  // Both waits are bounded, so the process always exits promptly.
  auto wait_for = [&](std::chrono::milliseconds limit, const std::function<bool()>& done) {
    auto deadline = loop_.now() + limit;
    loop_.run_until([&] { return done() || output_broken_ || loop_.now() >= deadline; }, limit);
  };
  if (let_calls_finish)
    wait_for(options_.finish_limit, [&] { return dispatcher.in_flight() == 0; });
  dispatcher.cancel_all();
  wait_for(options_.drain_limit,
           [&] { return dispatcher.in_flight() == 0 && output_.size() == output_offset_; });
  loop_.stop();
}

int StdioServer::serve(Dispatcher& dispatcher) {
  LineReader reader(options_.max_message_bytes,
                    {[&](std::string_view line) { dispatcher.handle_line(line); },
                     [&](size_t limit) { dispatcher.handle_oversized(limit); }});

  loop_.watch(options_.input_fd, POLLIN, [&](short) {
    char buffer[64 * 1024];
    ssize_t n = ::read(options_.input_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n > 0) {
      reader.feed(std::string_view(buffer, static_cast<size_t>(n)));
      return;
    }
    reader.finish();
    begin_shutdown(dispatcher, n == 0 ? "end of input" : std::strerror(errno),
                   /*let_calls_finish=*/true);
  });
  if (signal_fd_ >= 0) {
    loop_.watch(signal_fd_, POLLIN, [&](short) {
      signalfd_siginfo info{};
      if (::read(signal_fd_, &info, sizeof info) != sizeof info) return;
      begin_shutdown(dispatcher, info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM",
                     /*let_calls_finish=*/false);
    });
  }
  loop_.run();
  return 0;
}

}  // namespace notion_mcp::mcp
