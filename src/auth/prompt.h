// Reading a secret from a person or a pipe: a no-echo prompt when stdin is a terminal, else the
// first line of stdin (so `pass show notion | notion-mcp login --token` works). The prompt goes
// to stderr, never stdout.
#pragma once

#include <cstddef>
#include <string_view>

#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::auth {

inline constexpr size_t kMaxSecretInput = 4096;

// Reads one secret from `fd` (a terminal: prompted, echo off; otherwise its first line).
// Surrounding whitespace is dropped. `what` names the secret in errors ("the token");
// `pipe_hint` says how to supply it when stdin is not a terminal and gave nothing.
util::Result<util::Secret> read_secret(int fd, std::string_view prompt, std::string_view what,
                                       std::string_view pipe_hint);

// True when `text` could be a token or client secret: printable ASCII without spaces.
bool plausible_secret(std::string_view text);

}  // namespace notion_mcp::auth
