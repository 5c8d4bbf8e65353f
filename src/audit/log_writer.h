// The audit log file: created 0600 in a 0700 directory, appended with O_APPEND (lines from
// several servers never interleave), rotated by size to "<path>.1" (older ones to ".2", ".3"). The
// broker opens it before it confines itself and keeps the descriptor; --sandbox=off writes it
// in-process.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::audit {

inline constexpr uint64_t kDefaultMaxBytes = 10 * 1024 * 1024;
// Rotated files kept beside the live log: a review covers more than the last rotation.
inline constexpr int kGenerations = 3;

// $XDG_STATE_HOME/notion-mcp/audit.jsonl, else $HOME/.local/state/notion-mcp/audit.jsonl; empty
// when neither variable is set.
std::string default_log_path();

// Where the log goes for a --audit-log setting: "off" → "" (no log); a path → that path; unset →
// the default, except for the demo workspace, whose sample calls stay out of the person's log.
// An error when the default is needed but neither XDG_STATE_HOME nor HOME is set.
util::Result<std::string> resolve_log_path(const std::string& setting, bool demo);

class LogWriter {
 public:
  // Creates missing directories (0700) and the file (0600); tightens a file that others can
  // read. Refuses a path that is not a regular file of ours.
  static util::Result<std::unique_ptr<LogWriter>> open(std::string path,
                                                       uint64_t max_bytes = kDefaultMaxBytes);
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;
  ~LogWriter();

  // Appends one line (a newline is added; the line is redacted once more). Rotates first when
  // the file would grow past the limit.
  util::Result<void> append(std::string_view line);

  const std::string& path() const { return path_; }
  // The directory that holds the log: the broker's Landlock rules must let it rotate there.
  std::string directory() const;

 private:
  LogWriter(std::string path, int fd, uint64_t max_bytes)
      : path_(std::move(path)), fd_(fd), max_bytes_(max_bytes) {}
  util::Result<void> rotate();
  util::Result<void> reopen();

  std::string path_;
  int fd_ = -1;
  uint64_t max_bytes_;
};

}  // namespace notion_mcp::audit
