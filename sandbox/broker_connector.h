// The worker's Connector: asks the broker for a TCP connection to the Notion endpoint and hands
// curl the connected socket it receives. The worker itself never calls socket() or resolves.
#pragma once

#include <cstdint>
#include <string>

#include "notion/connector.h"

namespace notion_mcp::sandbox {

class BrokerConnector : public notion::Connector {
 public:
  // `channel` is the worker's end of the broker channel; `host`/`port` the endpoint to ask for.
  BrokerConnector(int channel, std::string host, uint16_t port, int timeout_ms = 15000)
      : channel_(channel), host_(std::move(host)), port_(port), timeout_ms_(timeout_ms) {}

  util::Result<notion::ConnectorSocket> open_socket(const notion::SocketRequest& request) override;

 private:
  int channel_;
  std::string host_;
  uint16_t port_;
  int timeout_ms_;
};

}  // namespace notion_mcp::sandbox
