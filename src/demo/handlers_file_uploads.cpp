// POST /v1/file_uploads, POST /v1/file_uploads/{id}/send (multipart/form-data),
// POST /v1/file_uploads/{id}/complete, GET /v1/file_uploads/{id}. The demo takes single-part
// uploads only (up to 20 MB, as Notion does); the bytes are counted, not kept.
#include "demo/api_errors.h"
#include "demo/file_objects.h"
#include "demo/handlers.h"
#include "demo/multipart.h"
#include "demo/str_cat.h"
#include "demo/write_support.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

constexpr size_t kMaxSinglePartBytes = 20u * 1024 * 1024;

util::Result<FileUpload*> find_upload(Context& c) {
  auto id = path_id(c, 0, "file_upload_id");
  if (!id) return id.error();
  FileUpload* upload = c.store.file_upload(*id);
  if (!upload) return not_found("file upload", *id);
  return upload;
}

// The media type without parameters, lowercased ("image/png; x=y" → "image/png").
std::string bare_type(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

}  // namespace

Reply create_file_upload(Context& c) {
  const std::string mode = util::string_or(c.body, "mode", "single_part");
  if (mode != "single_part") {
    return validation_error(
        cat({"body failed validation: the demo workspace takes `single_part` "
             "uploads only, instead mode was `",
             mode, "`."}));
  }
  const Json* filename = util::member(c.body, "filename");
  if (filename && !filename->is_null() &&
      (!filename->is_string() || filename->get<std::string>().size() > 900)) {
    return validation_error(
        "body failed validation: body.filename should be a string of at most 900 characters.");
  }
  const Json* content_type = util::member(c.body, "content_type");
  if (content_type && !content_type->is_null() && !content_type->is_string()) {
    return validation_error("body failed validation: body.content_type should be a string.");
  }
  FileUpload upload;
  upload.id = c.store.next_id("file_upload");
  if (filename && filename->is_string()) upload.filename = filename->get<std::string>();
  if (content_type && content_type->is_string()) {
    upload.content_type = bare_type(content_type->get<std::string>());
  }
  upload.stamps = fresh_stamps(c);
  return file_upload_json(c.store.add_file_upload(std::move(upload)));
}

Reply send_file_upload(Context& c) {
  auto found = find_upload(c);
  if (!found) return found.error();
  FileUpload& upload = **found;
  if (upload.status != "pending") {
    return validation_error(cat({"File upload ", upload.id, " has status `", upload.status,
                                 "`; only a pending upload takes contents."}));
  }
  if (c.content_type.empty()) {
    return validation_error(
        "Send the file contents as multipart/form-data with the file under the `file` key.");
  }
  auto parts = parse_multipart(c.content_type, c.raw_body);
  if (!parts) return parts.error();
  const FormPart* file = nullptr;
  for (const FormPart& part : *parts) {
    if (part.name == "file") file = &part;
  }
  if (!file) {
    return validation_error("The multipart/form-data body has no `file` part with the contents.");
  }
  if (file->data.size() > kMaxSinglePartBytes) {
    return validation_error(
        cat({"The file is larger than 20 MB (", std::to_string(file->data.size()),
             " bytes): single_part uploads take at most 20 MB; use multi_part."}));
  }
  const std::string part_type = bare_type(file->content_type);
  if (!upload.content_type.empty() && !part_type.empty() && part_type != upload.content_type) {
    return validation_error(
        cat({"The file's content type `", part_type, "` does not match the upload's content type `",
             upload.content_type, "`."}));
  }
  if (upload.content_type.empty()) upload.content_type = part_type;
  if (upload.filename.empty()) upload.filename = file->filename;
  upload.content_length = static_cast<int64_t>(file->data.size());
  upload.status = "uploaded";
  mark_edited(upload.stamps, c);
  return file_upload_json(upload);
}

Reply complete_file_upload(Context& c) {
  auto found = find_upload(c);
  if (!found) return found.error();
  return validation_error(cat({"File upload ", (*found)->id,
                               " is a single_part upload; only multi_part uploads are "
                               "completed."}));
}

Reply get_file_upload(Context& c) {
  auto found = find_upload(c);
  if (!found) return found.error();
  return file_upload_json(**found);
}

}  // namespace notion_mcp::demo
