// Files for upload_file: which types Notion takes (by extension), which paths are inside the
// directories the person allowed with --upload-root, how a file is read on the side that may
// open files, and the multipart/form-data body that carries it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace notion_mcp::tools {

// Notion's limit for a single-part upload.
inline constexpr size_t kMaxUploadBytes = 20u * 1024 * 1024;

struct UploadType {
  std::string_view extension;     // lowercase, without the dot
  std::string_view content_type;  // what Notion expects for it
  std::string_view block_type;    // image | pdf | audio | video | file
};

// The type of `filename` by its extension (case-insensitive); null when Notion does not take it.
const UploadType* upload_type_for(std::string_view filename);

// The extensions upload_type_for knows, for error messages ("pdf, png, ...").
std::string upload_extensions();

// The --upload-root directories as real absolute paths, checked at start-up (before any jail):
// an error names a root that is missing or not a directory.
util::Result<std::vector<std::string>> canonical_upload_roots(
    const std::vector<std::string>& roots);

// `path` made absolute (a relative path is taken inside the first root) and normalised
// lexically; an error unless it lies inside one of `roots`. Touches no file: the worker cannot.
util::Result<std::string> resolve_upload_path(const std::string& path,
                                              const std::vector<std::string>& roots);

// Opens `path` for upload_file where files may be opened (the broker, or the server itself with
// --sandbox=off). Symbolic links are resolved first and the real path must still lie inside a
// real root; only regular files of at most `max_bytes` are opened. Returns a read-only,
// close-on-exec descriptor that the caller owns. Errors say which rule failed.
util::Result<int> open_upload_file(const std::string& path, const std::vector<std::string>& roots,
                                   size_t max_bytes = kMaxUploadBytes);

// Reads an opened upload (from open_upload_file, here or in the broker) from its current offset,
// without closing it:
// only a regular file, and never more than `max_bytes` even if it grows while being read.
util::Result<std::string> read_opened_upload(int fd, size_t max_bytes = kMaxUploadBytes);

// open_upload_file then read_opened_upload: the whole check and read in one process.
util::Result<std::string> read_upload_file(const std::string& path,
                                           const std::vector<std::string>& roots,
                                           size_t max_bytes = kMaxUploadBytes);

// A multipart/form-data body with one part, "file", holding `data`. `boundary` must not occur
// in `data` (make_boundary picks one that does not).
std::string multipart_body(std::string_view boundary, std::string_view filename,
                           std::string_view content_type, std::string_view data);
std::string make_boundary(std::string_view data);

}  // namespace notion_mcp::tools
