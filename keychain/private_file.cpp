#include "keychain/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace notion_mcp::keychain {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// "the key file" -> "The key file", for messages that start with the file's name.
std::string capitalized(std::string_view what) {
  std::string text(what);
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

util::Error io_error(std::string_view what, const std::string& path, std::string_view doing,
                     int err) {
  return util::make_error("credentials_io", "Cannot " + std::string(doing) + " " +
                                                std::string(what) + " " + path + ": " +
                                                errno_text(err) + ".");
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view content) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string parent_directory(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

util::Result<void> ensure_directory(const std::string& dir, std::string_view what) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return util::make_error("credentials_io", "Cannot write " + std::string(what) + ": " + dir +
                                                  " is not a directory.");
  }
  if (errno != ENOENT || ::mkdir(dir.c_str(), 0700) != 0) {
    return util::make_error("credentials_io",
                            "Cannot write " + std::string(what) + ": the directory " + dir +
                                " does not exist and cannot be created (" + errno_text(errno) +
                                ").",
                            "Create it first, or choose another path.");
  }
  return {};
}

void sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename is done; a failed directory sync only weakens durability
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string shell_quote(std::string_view path) {
  bool plain = !path.empty();
  for (char c : path) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::strchr("/._-+~=:,@%", c) != nullptr);
  }
  if (plain) return std::string(path);
  std::string quoted = "'";
  for (char c : path) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

util::Result<std::optional<ScrubbedString>> read_private_file(const std::string& path,
                                                              size_t max_size,
                                                              std::string_view what) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<ScrubbedString>();
    return io_error(what, path, "read", errno);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return io_error(what, path, "read", errno);
  if (!S_ISREG(st.st_mode)) {
    return util::make_error("credentials_io", "Cannot read " + std::string(what) + " " + path +
                                                  ": it is not a regular file.");
  }
  if ((st.st_mode & 077) != 0) {
    return util::make_error("insecure_permissions",
                            capitalized(what) + " " + path +
                                " can be accessed by other users (mode " + mode_text(st.st_mode) +
                                "), so notion-mcp refuses to use it.",
                            "Run `chmod 600 " + shell_quote(path) + "` and try again.");
  }
  if (static_cast<uint64_t>(st.st_size) > max_size) {
    return util::make_error("credentials_io", capitalized(what) + " " + path + " is too large (" +
                                                  std::to_string(st.st_size) + " bytes).");
  }
  ScrubbedString content(static_cast<size_t>(st.st_size) + 1);
  content.resize(static_cast<size_t>(st.st_size) + 1);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(what, path, "read", errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  if (done > max_size) {
    return util::make_error("credentials_io",
                            capitalized(what) + " " + path + " is too large (it grew while read).");
  }
  content.resize(done);
  return std::optional<ScrubbedString>(std::move(content));
}

util::Result<void> write_private_file(const std::string& path, std::string_view content,
                                      std::string_view what) {
  std::string dir = parent_directory(path);
  if (auto made = ensure_directory(dir, what); !made) return made;

  std::string temp = path + ".tmp-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  Fd fd(::mkostemp(name.data(), O_CLOEXEC));  // mode 0600
  if (fd.get() < 0) return io_error(what, path, "write", errno);
  std::string temp_path(name.data());
  auto fail = [&](int err) {
    ::unlink(temp_path.c_str());
    return io_error(what, path, "write", err);
  };
  if (::fchmod(fd.get(), 0600) != 0 || !write_all(fd.get(), content) || ::fsync(fd.get()) != 0) {
    return fail(errno);
  }
  if (::close(fd.release()) != 0) return fail(errno);
  if (::rename(temp_path.c_str(), path.c_str()) != 0) return fail(errno);
  sync_directory(dir);
  return {};
}

util::Result<void> create_private_file(const std::string& path, std::string_view content,
                                       std::string_view what) {
  std::string dir = parent_directory(path);
  if (auto made = ensure_directory(dir, what); !made) return made;
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return util::make_error(
          "credentials_io", capitalized(what) + " " + path + " already exists; it was not changed.",
          "Choose another path, or delete the old file first.");
    }
    return io_error(what, path, "create", errno);
  }
  if (::fchmod(fd.get(), 0600) != 0 || !write_all(fd.get(), content) || ::fsync(fd.get()) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return io_error(what, path, "write", err);
  }
  if (::close(fd.release()) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return io_error(what, path, "write", err);
  }
  sync_directory(dir);
  return {};
}

}  // namespace notion_mcp::keychain
