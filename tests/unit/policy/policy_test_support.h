// Shared pieces of the policy tests: tools of each kind, and the demo workspace behind the real
// Notion client (the scope checks walk its real parent chain).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "demo/demo_transport.h"
#include "demo/workspace.h"
#include "notion/client.h"
#include "tools/tool.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/secret.h"
#include "util/task.h"

namespace notion_mcp::policy::testing {

// Ids in the seeded demo workspace (see src/demo/seed_*.cpp).
inline constexpr const char* kHandbook = "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c";  // top level
inline constexpr const char* kEngineeringPractices = "3b5d7f9a-1c2e-4a4b-8d6f-8b0c2d4e6f7a";
inline constexpr const char* kOnCallRunbook = "f4c8c1aa-909d-4693-8f9d-ad95e58e8fc1";  // grandchild
inline constexpr const char* kProductEngineering = "3d5f7a9c-1e3b-4d5f-a7c9-e1b3d5f7a9c2";
inline constexpr const char* kRoadmap = "ec278cbb-cd30-4472-ad23-9cc4cb28bba1";  // under P&E
inline constexpr const char* kProjectsDataSource = "8c0e2a4b-6d8f-4a0c-9e2a-4c6e8a0c2e3d";
inline constexpr const char* kProjectsDatabase = "6a8c0e2f-4b6d-4f8a-8c0e-2a4b6d8f0a1b";
inline constexpr const char* kWebsiteRedesign = "d4f6a8c0-3e5a-4c9b-8f4d-6b8d0f2a4c7e";  // a row
inline constexpr const char* kTasksDataSource = "c3e5a7b9-2d4f-4b8a-9e3c-5a7c9e1b3d6a";

inline constexpr std::string_view kAnyArguments = R"({"type":"object","properties":{}})";

inline tools::Tool make_tool(std::string name, bool read_only, bool destructive,
                             std::string_view input_schema = kAnyArguments) {
  tools::Tool tool;
  tool.name = std::move(name);
  tool.description = "A test tool.";
  tool.input_schema = input_schema;
  tool.annotations.read_only = read_only;
  tool.annotations.destructive = destructive;
  tool.run = [](tools::ToolContext&, const util::Json&) -> util::Task<tools::ToolResult> {
    tools::ToolResult result;
    result.text = "done";
    result.structured = util::Json::object();
    co_return result;
  };
  return tool;
}

// The demo workspace behind a real client on one loop.
struct DemoNotion {
  static notion::ClientOptions options() {
    notion::ClientOptions o;
    o.rate_limit.enabled = false;
    return o;
  }
  util::EventLoop loop;
  std::unique_ptr<demo::Workspace> workspace = demo::Workspace::seeded();
  demo::DemoTransport transport{loop, *workspace};
  notion::Client client{loop, transport,
                        [] { return util::Result<util::Secret>(util::Secret("demo")); }, options()};
  int requests() const { return client.stats().requests_sent; }
};

}  // namespace notion_mcp::policy::testing
