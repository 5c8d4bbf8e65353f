#include "demo/file_objects.h"

#include "demo/api_errors.h"
#include "demo/ids.h"
#include "demo/str_cat.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

// Notion-hosted file URLs are signed and expire an hour after they are handed out.
constexpr int64_t kUrlLifetimeSeconds = 3600;

std::string hosted_url(const FileUpload& upload) {
  std::string name;
  for (char c : upload.filename) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    name.push_back(plain ? c : '_');
  }
  return cat({"https://files.demo.notion-mcp.invalid/", compact_id(upload.id), "/", name});
}

util::Error invalid(std::string_view where, std::string_view should, const Json& got) {
  return validation_error(cat({"body failed validation: ", where, " should be ", should,
                               ", instead was `", util::dump_json(got), "`."}));
}

}  // namespace

util::Result<Json> file_object_input(const Json& input, const Store& store,
                                     std::string_view where) {
  if (!input.is_object()) return invalid(where, "a file object", input);
  std::string type = util::string_or(input, "type");
  if (type.empty()) type = input.contains("file_upload") ? "file_upload" : "external";
  if (type == "external") {
    const std::string url = util::string_or(input.value("external", Json::object()), "url");
    if (url.empty()) return invalid(cat({where, ".external.url"}), "a URL", input);
    return Json{{"type", "external"}, {"external", {{"url", url}}}};
  }
  if (type != "file_upload") {
    return invalid(cat({where, ".type"}), "`\"external\"` or `\"file_upload\"`", Json(type));
  }
  const std::string raw = util::string_or(input.value("file_upload", Json::object()), "id");
  const auto id = normalize_id(raw);
  const FileUpload* upload = id ? store.file_upload(*id) : nullptr;
  if (!upload) {
    return validation_error(cat({"Could not find file upload with ID: ", raw, "."}));
  }
  if (upload->status != "uploaded") {
    return validation_error(cat({"File upload ", upload->id, " has status `", upload->status,
                                 "`; send its contents before attaching it."}));
  }
  return Json{
      {"type", "file"},
      {"file",
       {{"url", hosted_url(*upload)},
        {"expiry_time", format_timestamp(upload->stamps.created_time + kUrlLifetimeSeconds)}}},
      {"name", upload->filename}};
}

Json file_upload_json(const FileUpload& upload) {
  Json out{
      {"object", "file_upload"},
      {"id", upload.id},
      {"created_time", format_timestamp(upload.stamps.created_time)},
      {"last_edited_time", format_timestamp(upload.stamps.last_edited_time)},
      {"created_by", {{"id", upload.stamps.created_by}, {"type", "bot"}}},
      {"expiry_time", format_timestamp(upload.stamps.created_time + kUrlLifetimeSeconds)},
      {"upload_url", nullptr},
      {"archived", false},
      {"status", upload.status},
      {"filename", upload.filename.empty() ? Json(nullptr) : Json(upload.filename)},
      {"content_type", upload.content_type.empty() ? Json(nullptr) : Json(upload.content_type)},
      {"content_length", upload.content_length < 0 ? Json(nullptr) : Json(upload.content_length)}};
  if (upload.status == "pending") {
    out["upload_url"] = cat({"https://api.notion.com/v1/file_uploads/", upload.id, "/send"});
  }
  return out;
}

}  // namespace notion_mcp::demo
