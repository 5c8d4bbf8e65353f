#include "notion/connector.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace notion_mcp::notion {

util::Result<ConnectorSocket> DirectConnector::open_socket(const SocketRequest& request) {
  if (request.type != SOCK_STREAM) {
    return util::make_error("network_error", "Only TCP connections to Notion are allowed.");
  }
  int fd = ::socket(request.family, SOCK_STREAM | SOCK_CLOEXEC, request.protocol);
  if (fd < 0) {
    return util::make_error("network_error", std::string("Could not open a network socket: ") +
                                                 std::strerror(errno) + ".");
  }
  return ConnectorSocket{fd, false};
}

}  // namespace notion_mcp::notion
