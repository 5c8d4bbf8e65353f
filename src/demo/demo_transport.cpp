#include "demo/demo_transport.h"

#include <memory>

namespace notion_mcp::demo {

void DemoTransport::start(notion::HttpRequest request, const util::CancelToken& cancel,
                          Completion done) {
  // Answer on the next loop turn, as a network transport would, so callers never see a
  // synchronous completion.
  loop_.post([this, request = std::move(request), cancel, done = std::move(done)] {
    if (cancel.cancelled()) {
      done(util::make_error("cancelled", "The request was cancelled."));
      return;
    }
    done(workspace_.handle(request));
  });
}

}  // namespace notion_mcp::demo
