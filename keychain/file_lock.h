// An exclusive cross-process lock for one credentials file: flock on FILE.lock beside it.
// The file holds every profile, so each save or remove is a read-modify-write of the whole
// file; without this lock, two processes saving two different profiles (each under its own
// refresh lock) could each write back the other's old profile and lose a rotated refresh token.
#pragma once

#include <chrono>
#include <string>

#include "util/result.h"

namespace notion_mcp::keychain {

class FileLock {
 public:
  // Opens (creating with mode 0600) `file` + ".lock" and waits up to `timeout` for an
  // exclusive flock. Errors name the lock file and say what to do.
  static util::Result<FileLock> acquire(const std::string& file, std::chrono::milliseconds timeout);

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
