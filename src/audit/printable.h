// Text from the audit log on its way to a terminal. The log holds titles from Notion and client
// names from MCP clients: either may carry escape sequences (\x1b[31m, OSC 8 links, a C1 CSI)
// or bidirectional overrides that would recolour, hide or reorder what the person reviews.
#pragma once

#include <string>
#include <string_view>

namespace notion_mcp::audit {

// `text` without C0 controls (line breaks included), DEL, C1 controls (U+0080–U+009F) and
// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069). Bytes that are not
// UTF-8 become '?'.
std::string printable(std::string_view text);

}  // namespace notion_mcp::audit
