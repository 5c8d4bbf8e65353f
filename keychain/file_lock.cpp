#include "keychain/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace notion_mcp::keychain {

util::Result<FileLock> FileLock::acquire(const std::string& file,
                                         std::chrono::milliseconds timeout) {
  std::string path = file + ".lock";
  constexpr int kFlags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  int fd = ::open(path.c_str(), kFlags, 0600);
  if (fd < 0 && errno == ENOENT) {
    // A first save into a new directory: create it as write_private_file would (0700).
    size_t slash = file.find_last_of('/');
    if (slash != std::string::npos && slash > 0 &&
        ::mkdir(file.substr(0, slash).c_str(), 0700) == 0) {
      fd = ::open(path.c_str(), kFlags, 0600);
    }
  }
  if (fd < 0) {
    return util::make_error("lock_failed",
                            "Could not open the lock file " + path +
                                " beside the credentials file: " + std::strerror(errno) + ".",
                            "The directory of the credentials file must be writable by this user.");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {  // bounded by `timeout`
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return FileLock(fd, std::move(path));
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int error = errno;
      ::close(fd);
      return util::make_error("lock_failed",
                              "Could not lock " + path + ": " + std::strerror(error) + ".");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
      return util::make_error(
          "lock_timeout",
          "Another notion-mcp process has held the lock " + path + " for more than " +
              std::to_string(seconds) + " seconds.",
          "Check for a hung notion-mcp process; the lock is released when it exits.");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace notion_mcp::keychain
