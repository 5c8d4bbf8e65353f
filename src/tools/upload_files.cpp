#include "tools/upload_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>

namespace notion_mcp::tools {

namespace {

// Notion's supported file types (developers.notion.com, "Working with files and media").
constexpr std::array kTypes = {
    UploadType{"png", "image/png", "image"},
    UploadType{"jpg", "image/jpeg", "image"},
    UploadType{"jpeg", "image/jpeg", "image"},
    UploadType{"gif", "image/gif", "image"},
    UploadType{"webp", "image/webp", "image"},
    UploadType{"svg", "image/svg+xml", "image"},
    UploadType{"heic", "image/heic", "image"},
    UploadType{"tif", "image/tiff", "image"},
    UploadType{"tiff", "image/tiff", "image"},
    UploadType{"ico", "image/vnd.microsoft.icon", "image"},
    UploadType{"pdf", "application/pdf", "pdf"},
    UploadType{"txt", "text/plain", "file"},
    UploadType{"json", "application/json", "file"},
    UploadType{"csv", "text/csv", "file"},
    UploadType{"doc", "application/msword", "file"},
    UploadType{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "file"},
    UploadType{"xls", "application/vnd.ms-excel", "file"},
    UploadType{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "file"},
    UploadType{"ppt", "application/vnd.ms-powerpoint", "file"},
    UploadType{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "file"},
    UploadType{"mp3", "audio/mpeg", "audio"},
    UploadType{"m4a", "audio/mp4", "audio"},
    UploadType{"wav", "audio/wav", "audio"},
    UploadType{"ogg", "audio/ogg", "audio"},
    UploadType{"aac", "audio/aac", "audio"},
    UploadType{"mp4", "video/mp4", "video"},
    UploadType{"mov", "video/quicktime", "video"},
    UploadType{"webm", "video/webm", "video"},
    UploadType{"m4v", "video/x-m4v", "video"},
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool inside(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

util::Error outside(const std::string& path) {
  return util::make_error("outside_upload_root",
                          "'" + path + "' is not inside a directory allowed for uploads.",
                          "Only files under the --upload-root directories can be uploaded; ask "
                          "the person to move the file there or to add that directory.");
}

std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  return ::realpath(path.c_str(), buffer) != nullptr ? std::string(buffer) : std::string();
}

}  // namespace

const UploadType* upload_type_for(std::string_view filename) {
  size_t dot = filename.find_last_of('.');
  size_t slash = filename.find_last_of('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return nullptr;
  }
  std::string extension = lower(filename.substr(dot + 1));
  for (const UploadType& type : kTypes) {
    if (type.extension == extension) return &type;
  }
  return nullptr;
}

std::string upload_extensions() {
  std::string out;
  for (const UploadType& type : kTypes) {
    if (!out.empty()) out += ", ";
    out += type.extension;
  }
  return out;
}

util::Result<std::vector<std::string>> canonical_upload_roots(
    const std::vector<std::string>& roots) {
  std::vector<std::string> out;
  for (const std::string& root : roots) {
    std::string real = root.empty() ? std::string() : real_path(root);
    struct stat info {};
    if (real.empty() || ::stat(real.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
      return util::make_error("invalid_flag",
                              "--upload-root '" + root + "' is not an existing directory.",
                              "Create it, or name a directory that exists.");
    }
    if (real == "/") {
      return util::make_error("invalid_flag", "--upload-root / would allow uploading any file.",
                              "Name the directory that holds the files to upload.");
    }
    out.push_back(std::move(real));
  }
  return out;
}

util::Result<std::string> resolve_upload_path(const std::string& path,
                                              const std::vector<std::string>& roots) {
  if (roots.empty()) {
    return util::make_error("uploads_disabled", "File uploads are not enabled on this server.",
                            "The person can allow them by starting notion-mcp with "
                            "--upload-root DIRECTORY.");
  }
  if (path.empty() || path.find('\0') != std::string::npos) {
    return util::make_error("validation_error", "path must name a file.",
                            "Pass the file's path inside " + roots.front() + ".");
  }
  std::filesystem::path candidate(path);
  if (candidate.is_relative()) candidate = std::filesystem::path(roots.front()) / candidate;
  candidate = candidate.lexically_normal();
  for (const std::string& root : roots) {
    std::filesystem::path base = std::filesystem::path(root).lexically_normal();
    if (base.is_absolute() && inside(candidate, base) && candidate != base) {
      return candidate.string();
    }
  }
  return outside(path);
}

util::Result<int> open_upload_file(const std::string& path, const std::vector<std::string>& roots,
                                   size_t max_bytes) {
  auto lexical = resolve_upload_path(path, roots);
  if (!lexical.ok()) return lexical.error();
  // A symbolic link inside a root may point anywhere: compare real paths as well.
  std::string real = real_path(*lexical);
  if (real.empty()) {
    return util::make_error("file_not_found", "'" + path + "' does not exist or cannot be read.",
                            "Check the file name (it is taken inside the upload root).");
  }
  bool allowed = false;
  for (const std::string& root : roots) {
    std::string real_root = real_path(root);
    if (!real_root.empty() && inside(real, real_root) && real != real_root) allowed = true;
  }
  if (!allowed) return outside(path);

  // O_NONBLOCK: a FIFO planted in the root must not hang the open.
  int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    return util::make_error("file_not_found", "'" + path + "' cannot be opened.",
                            "Check that the file exists and is readable.");
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return util::make_error("validation_error", "'" + path + "' is not a regular file.",
                            "Upload a file, not a directory or device.");
  }
  if (static_cast<size_t>(info.st_size) > max_bytes) {
    ::close(fd);
    return util::make_error("file_too_large",
                            "'" + path + "' has " + std::to_string(info.st_size) +
                                " bytes; uploads take at most " + std::to_string(max_bytes) +
                                " bytes.",
                            "Upload a smaller file, or attach a link to it instead.");
  }
  return fd;
}

util::Result<std::string> read_opened_upload(int fd, size_t max_bytes) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    return util::make_error("validation_error", "The upload is not a regular file.",
                            "Upload a file, not a directory or device.");
  }
  size_t size = static_cast<size_t>(info.st_size);
  if (size > max_bytes) {
    return util::make_error("file_too_large",
                            "The file has " + std::to_string(size) +
                                " bytes; uploads take at most " + std::to_string(max_bytes) +
                                " bytes.",
                            "Upload a smaller file, or attach a link to it instead.");
  }
  std::string data;
  data.resize(size);
  size_t done = 0;
  // The file may grow while it is read: never read past the size checked above. Bounded: each
  // pass reads at least one byte or stops.
  for (size_t pass = 0; pass <= size && done < data.size(); ++pass) {
    // read(), not pread(): the worker's seccomp policy allows only the former.
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return util::make_error("file_not_found", "The file could not be read.",
                              "Check that it is readable and try again.");
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

util::Result<std::string> read_upload_file(const std::string& path,
                                           const std::vector<std::string>& roots,
                                           size_t max_bytes) {
  auto fd = open_upload_file(path, roots, max_bytes);
  if (!fd.ok()) return fd.error();
  auto data = read_opened_upload(*fd, max_bytes);
  ::close(*fd);
  return data;
}

std::string make_boundary(std::string_view data) {
  // A numbered boundary that does not occur in the data; the first nearly always fits.
  std::string candidate;
  unsigned n = 0x5f3759df;
  for (int attempt = 0; attempt < 1000; ++attempt, n = n * 1664525u + 1013904223u) {
    candidate = "notion-mcp-boundary-" + std::to_string(n);
    if (data.find(candidate) == std::string_view::npos) break;
  }
  return candidate;
}

std::string multipart_body(std::string_view boundary, std::string_view filename,
                           std::string_view content_type, std::string_view data) {
  // Quotes and line breaks cannot appear inside the quoted filename parameter.
  std::string name;
  for (char c : filename) name.push_back(c == '"' || c == '\r' || c == '\n' || c == '\\' ? '_' : c);
  std::string body;
  body.reserve(data.size() + 256);
  body += "--";
  body += boundary;
  body += "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"";
  body += name;
  body += "\"\r\nContent-Type: ";
  body += content_type;
  body += "\r\n\r\n";
  body += data;
  body += "\r\n--";
  body += boundary;
  body += "--\r\n";
  return body;
}

}  // namespace notion_mcp::tools
