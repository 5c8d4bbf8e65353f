// An exclusive cross-process lock: flock on a lock file, released when the lock is destroyed.
// acquire() locks one credentials file through FILE.lock beside it.
// The file holds every profile, so each save or remove is a read-modify-write of the whole
// file; without this lock, two processes saving two different profiles (each under its own
// refresh lock) could each write back the other's old profile and lose a rotated refresh token.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::keychain {

class FileLock {
 public:
  // Opens (creating with mode 0600) `file` + ".lock" and waits up to `timeout` for an
  // exclusive flock. Errors name the lock file and say what to do.
  static util::Result<FileLock> acquire(const std::string& file, std::chrono::milliseconds timeout);

  // Takes an exclusive flock on `fd`, which it owns from here on (closed on failure), waiting up
  // to `timeout`; `what` names the lock in errors ("the refresh lock").
  static util::Result<FileLock> lock(int fd, std::string path, std::chrono::milliseconds timeout,
                                     std::string_view what);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();  // closing the descriptor releases the lock

  const std::string& path() const { return path_; }

 private:
  FileLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace notion_mcp::keychain
