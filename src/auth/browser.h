// Opening the authorize URL in the person's browser with xdg-open. The URL holds no secret
// (client id, redirect URI, state, PKCE challenge), so printing it instead is always safe.
#pragma once

#include <string>

#include "util/result.h"

namespace notion_mcp::auth {

// Starts `opener` (normally "xdg-open") with `url`, its output discarded, and waits briefly:
// an opener that fails at once is reported, one that keeps running is left to run.
util::Result<void> open_in_browser(const std::string& url, const std::string& opener = "xdg-open");

}  // namespace notion_mcp::auth
