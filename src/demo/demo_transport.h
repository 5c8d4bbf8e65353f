// Connects the Notion client to the in-process demo workspace: no network, no credentials.
#pragma once

#include "demo/workspace.h"
#include "notion/http.h"
#include "util/event_loop.h"

namespace notion_mcp::demo {

class DemoTransport : public notion::Transport {
 public:
  DemoTransport(util::EventLoop& loop, Workspace& workspace) : loop_(loop), workspace_(workspace) {}
  void start(notion::HttpRequest request, const util::CancelToken& cancel,
             Completion done) override;

 private:
  util::EventLoop& loop_;
  Workspace& workspace_;
};

}  // namespace notion_mcp::demo
