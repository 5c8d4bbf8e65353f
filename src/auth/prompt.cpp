#include "auth/prompt.h"

#include <poll.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace notion_mcp::auth {
namespace {

constexpr int kPipeTimeoutMs = 30000;  // a pipe that never delivers must not hang a command

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool plausible_secret(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
}

util::Result<util::Secret> read_secret(int fd, std::string_view prompt, std::string_view what,
                                       std::string_view pipe_hint) {
  const bool terminal = ::isatty(fd) == 1;
  termios saved{};
  bool echo_off = false;
  if (terminal) {
    (void)!::write(STDERR_FILENO, prompt.data(), prompt.size());
    if (::tcgetattr(fd, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      quiet.c_lflag |= ECHONL;
      echo_off = ::tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    }
  }
  // A fixed buffer, so no reallocation leaves a copy of the secret behind.
  char buffer[kMaxSecretInput + 1];
  size_t size = 0;
  bool too_long = false;
  bool failed = false;
  for (;;) {  // ends at a newline, end of input, an error, or the size limit
    if (!terminal) {
      pollfd p{fd, POLLIN, 0};
      int ready = ::poll(&p, 1, kPipeTimeoutMs);
      if (ready == 0) {
        failed = true;
        break;
      }
    }
    char c;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0 || c == '\n') break;
    if (size == kMaxSecretInput) {
      too_long = true;
      continue;  // drain the rest of the line
    }
    buffer[size++] = c;
  }
  if (echo_off) ::tcsetattr(fd, TCSAFLUSH, &saved);

  std::string_view text(buffer, size);
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  util::Result<util::Secret> result = util::Secret(text);
  if (failed) {
    result = util::make_error("input_failed", "Could not read " + std::string(what) + ".",
                              "Type it at the prompt, or pipe it on stdin.");
  } else if (too_long) {
    result =
        util::make_error("invalid_input", "The input is too long for " + std::string(what) + ".");
  } else if (text.empty()) {
    result = util::make_error("invalid_input", "No input for " + std::string(what) + " was given.",
                              terminal ? "Paste it at the prompt." : std::string(pipe_hint));
  } else if (!plausible_secret(text)) {
    result = util::make_error(
        "invalid_input",
        "The input for " + std::string(what) + " contains spaces or control characters.",
        "Paste only the value itself.");
  }
  sodium_memzero(buffer, sizeof buffer);
  return result;
}

}  // namespace notion_mcp::auth
