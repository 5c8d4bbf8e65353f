// Where the Notion transport gets its TCP sockets. Today the worker connects directly; in the
// sandbox the broker connects and passes the socket over a Unix socket, because the worker may
// not call socket() or connect() on the network itself.
#pragma once

#include <sys/socket.h>

#include <string>

#include "util/result.h"

namespace notion_mcp::notion {

// What libcurl asks for: a socket of this kind for this (pinned) address.
struct SocketRequest {
  int family = AF_INET;
  int type = SOCK_STREAM;
  int protocol = 0;
  const sockaddr* address = nullptr;
  socklen_t address_length = 0;
};

struct ConnectorSocket {
  int fd = -1;
  // True when the socket is already connected (the broker connected it). libcurl is then told
  // CURL_SOCKOPT_ALREADY_CONNECTED. Trap: libcurl 7.88.x (Debian 12) calls connect() anyway and
  // fails with EISCONN; the sandbox answers that connect() with EINPROGRESS through seccomp, so
  // curl polls the socket and proceeds. False: curl connects the socket itself.
  bool already_connected = false;
};

class Connector {
 public:
  virtual ~Connector() = default;
  // Called synchronously from libcurl's open-socket callback. The transport owns the returned
  // descriptor (libcurl closes it). Errors say why no socket could be had.
  virtual util::Result<ConnectorSocket> open_socket(const SocketRequest& request) = 0;
};

// Opens an unconnected socket and lets libcurl connect it: the behaviour without a sandbox.
class DirectConnector : public Connector {
 public:
  util::Result<ConnectorSocket> open_socket(const SocketRequest& request) override;
};

}  // namespace notion_mcp::notion
