// Assembles and runs the MCP server (event loop, Notion client, tools, dispatcher, stdio) over
// a given transport. Runs in the sandboxed worker, or in-process with --sandbox=off.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "audit/record.h"
#include "cli/serve.h"
#include "notion/api_endpoint.h"
#include "notion/client.h"
#include "notion/connector.h"
#include "notion/curl_library.h"
#include "policy/settings.h"
#include "util/log.h"

namespace notion_mcp::cli {

// Reads a file under --upload-root for upload_file (see tools/upload_files.h).
using UploadReader = std::function<util::Result<std::string>(const std::string& path)>;

struct ServerParts {
  // For Notion (not demo): where to connect, with the CA already in memory, and how.
  const notion::ApiEndpoint* endpoint = nullptr;
  std::shared_ptr<const notion::CurlLibrary> curl;
  notion::Connector* connector = nullptr;
  notion::TokenSource tokens;
  notion::TokenRejected token_rejected;  // a 401: a renewed token for one repeat, or why not
  // The policy (resolved from flags and the config file) and where audit lines go (empty: off).
  policy::Settings settings;
  audit::Sink audit;
  // upload_file's reader (in-process, or through the broker); empty when uploads are off.
  UploadReader read_upload;
};

// Serves until end of input or a termination signal; returns the exit status.
int run_mcp_server(const ServeOptions& options, util::Logger& logger, const ServerParts& parts);

}  // namespace notion_mcp::cli
