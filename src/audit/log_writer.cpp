#include "audit/log_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/redact.h"

namespace notion_mcp::audit {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

util::Error io_error(const std::string& what, const std::string& path, int error) {
  return util::make_error(
      "audit_log", "Cannot " + what + " the audit log " + path + ": " + std::strerror(error) + ".",
      "Choose another file with --audit-log PATH, or run without the audit "
      "log with --audit-log off.");
}

// mkdir -p with mode 0700 for what it creates; existing directories are left as they are.
util::Result<void> make_directories(const std::string& dir) {
  if (dir.empty()) return {};
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return io_error("create the directory of", dir, ENOTDIR);
  }
  size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    if (auto parent = make_directories(dir.substr(0, slash)); !parent.ok()) return parent;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return io_error("create the directory for", dir, errno);
  }
  return {};
}

int open_log(const std::string& path) {
  // O_NOFOLLOW: a symlink planted at the log's name must not redirect our writes.
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
                0600);
}

util::Result<void> check_file(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error("inspect", path, errno);
  if (!S_ISREG(st.st_mode)) return io_error("use", path, EINVAL);
  if (st.st_uid != ::geteuid()) return io_error("use (it belongs to another user)", path, EPERM);
  if ((st.st_mode & 077) != 0 && ::fchmod(fd, 0600) != 0) return io_error("protect", path, errno);
  return {};
}

}  // namespace

std::string default_log_path() {
  std::string base = env_or_empty("XDG_STATE_HOME");
  if (base.empty() || base[0] != '/') {
    std::string home = env_or_empty("HOME");
    if (home.empty()) return {};
    base = home + "/.local/state";
  }
  return base + "/notion-mcp/audit.jsonl";
}

util::Result<std::string> resolve_log_path(const std::string& setting, bool demo) {
  if (setting == "off" || (setting.empty() && demo)) return std::string();
  if (!setting.empty()) return setting;
  std::string path = default_log_path();
  if (path.empty()) {
    return util::make_error("audit_log",
                            "No place for the audit log: neither XDG_STATE_HOME nor HOME is set.",
                            "Name a file with --audit-log PATH, or use --audit-log off.");
  }
  return path;
}

util::Result<std::unique_ptr<LogWriter>> LogWriter::open(std::string path, uint64_t max_bytes) {
  if (path.empty()) {
    return util::make_error("audit_log",
                            "No place for the audit log: neither XDG_STATE_HOME nor "
                            "HOME is set.",
                            "Name a file with --audit-log PATH, or use --audit-log off.");
  }
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    if (auto made = make_directories(path.substr(0, slash)); !made.ok()) return made.error();
  }
  int fd = open_log(path);
  if (fd < 0) return io_error("open", path, errno);
  if (auto checked = check_file(fd, path); !checked.ok()) {
    ::close(fd);
    return checked.error();
  }
  return std::unique_ptr<LogWriter>(new LogWriter(std::move(path), fd, max_bytes));
}

LogWriter::~LogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::string LogWriter::directory() const {
  size_t slash = path_.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path_.substr(0, slash);
}

util::Result<void> LogWriter::rotate() {
  struct stat ours {};
  struct stat named {};
  if (::fstat(fd_, &ours) != 0) return io_error("inspect", path_, errno);
  // Another server sharing this log may have rotated it already: then only reopen.
  bool still_ours = ::stat(path_.c_str(), &named) == 0 && named.st_dev == ours.st_dev &&
                    named.st_ino == ours.st_ino;
  if (still_ours) {
    // Older generations move up one (".2" → ".3"); the oldest is replaced, so the log
    // keeps at most kGenerations rotated files beside the live one.
    for (int generation = kGenerations - 1; generation >= 1; --generation) {
      std::string from = path_ + "." + std::to_string(generation);
      std::string to = path_ + "." + std::to_string(generation + 1);
      if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
        return io_error("rotate", from, errno);
      }
    }
    if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) {
      return io_error("rotate", path_, errno);
    }
  }
  return reopen();
}

util::Result<void> LogWriter::reopen() {
  int fd = open_log(path_);
  if (fd < 0) return io_error("reopen", path_, errno);
  if (auto checked = check_file(fd, path_); !checked.ok()) {
    ::close(fd);
    return checked;
  }
  ::close(fd_);
  fd_ = fd;
  return {};
}

util::Result<void> LogWriter::append(std::string_view line) {
  std::string text = util::redact(line);
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';  // one record, one line, whatever came in
  }
  text.push_back('\n');
  struct stat st {};
  struct stat named {};
  bool have_fd = ::fstat(fd_, &st) == 0;
  // Another server sharing the log rotated it: follow to the new file rather than write into
  // the rotated one.
  if (have_fd && (::stat(path_.c_str(), &named) != 0 || named.st_ino != st.st_ino ||
                  named.st_dev != st.st_dev)) {
    if (auto reopened = reopen(); !reopened.ok()) return reopened;
    have_fd = ::fstat(fd_, &st) == 0;
  }
  if (have_fd && st.st_size > 0 && static_cast<uint64_t>(st.st_size) + text.size() > max_bytes_) {
    if (auto rotated = rotate(); !rotated.ok()) return rotated;
  }
  // One write(2) per line: with O_APPEND the kernel places it whole at the end.
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("write", path_, n < 0 ? errno : EIO);
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace notion_mcp::audit
