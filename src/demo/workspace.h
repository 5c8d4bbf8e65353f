// The demo workspace: an in-memory Notion that answers the REST calls our tools make, with
// Notion's JSON shapes, pagination and error bodies. `serve --demo` talks to it in-process;
// tests/fake_notion serves it over real TLS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "notion/http.h"

namespace notion_mcp::demo {

struct WorkspaceOptions {
  // GET /v1/pages/{id}/markdown renders at most this many blocks per answer and lists the rest
  // in unknown_block_ids. The default truncates exactly one seeded page, the meeting notes
  // archive (about 300 blocks), so that clients exercise continuation.
  size_t markdown_block_limit = 200;
  // Unix seconds for last_edited_time on writes and relative date filters; the real clock
  // when empty.
  std::function<int64_t()> clock;
};

class Workspace {
 public:
  // A small realistic workspace (a few dozen pages, two databases, comments, users). The
  // content is built on the first request, so creating the workspace costs nothing at start-up.
  static std::unique_ptr<Workspace> seeded();
  static std::unique_ptr<Workspace> seeded(WorkspaceOptions options);

  virtual ~Workspace() = default;

  // Answers one REST request ("/v1/..." path with query). Checks Notion-Version like Notion
  // does; does not check Authorization (the TLS fake does that). Not thread-safe: callers
  // serialise.
  virtual notion::HttpResponse handle(const notion::HttpRequest& request) = 0;
};

}  // namespace notion_mcp::demo
