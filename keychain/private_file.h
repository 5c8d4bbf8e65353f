// Files that hold secrets (the encrypted credentials file, its key): read only when no other
// user can read them, written atomically (write + fsync + rename + fsync of the directory)
// with mode 0600, and never through a buffer that is freed unzeroed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "keychain/scrubbed_string.h"
#include "util/result.h"

namespace notion_mcp::keychain {

// The whole file, or nullopt when it does not exist. Refuses a file that is not regular, is
// larger than `max_size`, or that group or others may access (with the chmod that fixes it).
// `what` names the file in messages: "the credentials file", "the key file".
util::Result<std::optional<ScrubbedString>> read_private_file(const std::string& path,
                                                              size_t max_size,
                                                              std::string_view what);

// Replaces `path` atomically: after a crash either the old or the new content is there.
// Creates the parent directory (mode 0700) when it is missing.
util::Result<void> write_private_file(const std::string& path, std::string_view content,
                                      std::string_view what);

// Creates `path` with mode 0600; refuses to replace an existing file.
util::Result<void> create_private_file(const std::string& path, std::string_view content,
                                       std::string_view what);

// `path` quoted for a shell command in a hint, when it needs quoting.
std::string shell_quote(std::string_view path);

}  // namespace notion_mcp::keychain
