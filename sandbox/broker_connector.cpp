#include "sandbox/broker_connector.h"

#include "sandbox/broker.h"
#include "sandbox/ipc.h"

namespace notion_mcp::sandbox {

util::Result<notion::ConnectorSocket> BrokerConnector::open_socket(
    const notion::SocketRequest& /*request*/) {
  // The address curl would connect to is ignored: the broker connects to the one endpoint it
  // allows, whatever the worker might have been tricked into asking for.
  ipc::Message request{0, ipc::Connect{host_, port_}};
  auto answer = call_broker(channel_, request, timeout_ms_);
  if (!answer.ok()) {
    return util::make_error(
        "network_error",
        "The sandbox broker did not answer a connection request (" + answer.error().message + ").");
  }
  if (const auto* failure = std::get_if<ipc::Failure>(&answer->message.body)) {
    return util::make_error("network_error", failure->message);
  }
  if (!std::holds_alternative<ipc::Connected>(answer->message.body) ||
      !answer->descriptor.valid()) {
    return util::make_error("network_error", "The sandbox broker sent an unexpected answer.");
  }
  return notion::ConnectorSocket{answer->descriptor.release(), /*already_connected=*/true};
}

}  // namespace notion_mcp::sandbox
