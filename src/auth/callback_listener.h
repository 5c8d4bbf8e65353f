// The login's loopback listener: bound to 127.0.0.1 at the registered redirect port before the
// browser opens, it serves requests one by one until exactly one callback ends the login (a
// code, a refusal, or a forged/stale `state`), or the time runs out. Requests for other paths
// (a favicon, a port scanner) get a fixed page and the listener keeps waiting.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "auth/callback_request.h"
#include "util/result.h"

namespace notion_mcp::auth {

// Notion matches redirect URIs exactly, so the port is fixed (and documented in the README);
// --redirect-uri picks another one.
inline constexpr std::string_view kDefaultRedirectUri = "http://127.0.0.1:8787/callback";
inline constexpr uint16_t kDefaultRedirectPort = 8787;

struct LoopbackRedirect {
  std::string uri;   // exactly as registered in Notion and sent in the authorize URL
  std::string host;  // "127.0.0.1" or "localhost"
  uint16_t port = 0;
  std::string path;  // "/callback"
};

// Accepts http://127.0.0.1:PORT/PATH or http://localhost:PORT/PATH (an explicit port, a path,
// no query, fragment or user info). Anything else is refused with a sentence saying why.
util::Result<LoopbackRedirect> parse_redirect_uri(std::string_view uri);

struct ListenOptions {
  std::chrono::milliseconds timeout{300000};         // the whole login
  std::chrono::milliseconds request_timeout{10000};  // one connection, to send its request
  // Called once per served request, for the terminal ("ignored a request for another path").
  std::function<void(const CallbackResult&)> on_request;
  // Called for the callback that carries a code while the browser waits for its page: the
  // code exchange and the save happen here, so the page tells the truth. true: the success
  // page; false: the verdict becomes not_completed and the browser gets a failure page.
  // Unset: the success page right away.
  std::function<bool(CallbackResult&)> complete;
};

class CallbackListener {
 public:
  // Binds 127.0.0.1:`port` (0: any free port, for tests) and listens. Errors say when the port
  // is in use and what to do about it.
  static util::Result<CallbackListener> bind(uint16_t port);

  CallbackListener(CallbackListener&& other) noexcept;
  CallbackListener& operator=(CallbackListener&& other) noexcept;
  CallbackListener(const CallbackListener&) = delete;
  CallbackListener& operator=(const CallbackListener&) = delete;
  ~CallbackListener();

  uint16_t port() const { return port_; }

  // Serves until a request ends the login (see ends_login) or the timeout passes; the ending
  // request gets its page (after options.complete, for a code) before this returns, and the
  // listener is closed. The result's
  // verdict says how it ended; a timeout is an Error (code "login_timeout").
  util::Result<CallbackResult> wait(std::string_view callback_path, std::string_view state,
                                    const ListenOptions& options);

 private:
  CallbackListener(int fd, uint16_t port) : fd_(fd), port_(port) {}
  void close();
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace notion_mcp::auth
