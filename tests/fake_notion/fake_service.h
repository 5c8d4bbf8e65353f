// What the fake Notion answers: control endpoints (/__fake/stats, /__fake/reset-stats,
// /__fake/config) from the route table, then every /v1/ request through bearer auth, fault
// injection and the demo workspace (one request at a time), counted in the stats.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "demo/workspace.h"
#include "faults.h"
#include "oauth_routes.h"
#include "request_handler.h"
#include "router.h"
#include "stats.h"

namespace notion_mcp::fake_notion {

class FakeService : public RequestHandler {
 public:
  FakeService(std::unique_ptr<demo::Workspace> workspace, FaultConfig faults, bool verbose);

  Reply handle(const ParsedRequest& request) override;
  Reply reject(int status, std::string_view message) override;
  void connection_opened() override { stats_.connection_opened(); }
  void connection_closed() override { stats_.connection_closed(); }
  void reply_abandoned() override { stats_.reply_abandoned(); }

  // More endpoints (e.g. OAuth) are added here; they take precedence over the workspace.
  Router& router() { return router_; }

 private:
  void add_control_routes();
  Reply handle_api(const notion::HttpRequest& request, const Route* route);
  notion::HttpResponse call_workspace(const notion::HttpRequest& request);
  notion::HttpResponse committed_then_unavailable(const notion::HttpRequest& request,
                                                  bool& performed);
  void log(const notion::HttpRequest& request, int status, FaultKind fault) const;

  std::unique_ptr<demo::Workspace> workspace_;
  std::mutex workspace_mutex_;  // the workspace is single-threaded; connections are not
  FaultInjector faults_;
  OAuthProvider oauth_;  // /v1/oauth/*: its access tokens pass the bearer check while they live
  Stats stats_;
  Router router_;
  bool verbose_;
};

}  // namespace notion_mcp::fake_notion
