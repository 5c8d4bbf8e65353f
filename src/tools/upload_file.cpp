// upload_file: Notion's file upload API for a file under an --upload-root directory:
// POST /v1/file_uploads, POST /v1/file_uploads/{id}/send (multipart/form-data), then, when a
// page is named, an image/pdf/audio/video/file block appended to it or a files property set.
// Path, type and size are checked before anything is sent.
#include "tools/block_children.h"
#include "tools/common.h"
#include "tools/errors.h"
#include "tools/render.h"
#include "tools/upload_files.h"
#include "tools/write_common.h"
#include "tools/write_tools.h"

namespace notion_mcp::tools {
namespace {

using util::Json;

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

std::string upload_path(const std::string& id) {
  return id.empty() ? "" : "/v1/file_uploads/" + id;
}

util::Task<ToolResult> run(ToolContext& ctx, Json args) {
  auto resolved = resolve_upload_path(util::string_or(args, "path"), ctx.upload_roots);
  if (!resolved.ok()) co_return error_result(resolved.error());
  std::string name = base_name(*resolved);
  const UploadType* type = upload_type_for(name);
  if (type == nullptr) {
    co_return error_result(util::make_error("unsupported_file_type",
                                            "Notion does not take files like '" + name + "'.",
                                            "Supported extensions: " + upload_extensions() + "."));
  }
  const bool attach = util::member(args, "page_id") != nullptr;
  std::string property = util::string_or(args, "property");
  if (!property.empty() && !attach) {
    co_return error_result(util::make_error("validation_error",
                                            "property needs page_id: the page whose files "
                                            "property receives the file.",
                                            "Pass page_id as well."));
  }
  std::string page;
  if (attach) {
    // A files property belongs to the page; a block may go under any block (a URL's #block).
    auto page_id = id_argument(args, "page_id", property.empty() ? IdKind::kBlock : IdKind::kPage);
    if (!page_id.ok()) co_return error_result(page_id.error());
    page = *page_id;
  }
  if (!ctx.read_upload) {
    co_return error_result(util::make_error("uploads_disabled",
                                            "This server cannot read files for upload.",
                                            "Start notion-mcp with --upload-root DIRECTORY."));
  }
  auto data = ctx.read_upload(*resolved);
  if (!data.ok()) co_return error_result(data.error());
  if (data->size() > kMaxUploadBytes) {
    co_return error_result(util::make_error("file_too_large",
                                            "'" + name + "' has " + std::to_string(data->size()) +
                                                " bytes; uploads take at most " +
                                                std::to_string(kMaxUploadBytes) + " bytes (20 MB).",
                                            "Upload a smaller file, or link to it instead."));
  }
  if (data->empty()) {
    co_return error_result(util::make_error("validation_error", "'" + name + "' is empty.",
                                            "Upload a file with content."));
  }

  const double steps = attach ? 3 : 2;
  auto progress = [&ctx, steps](double step, const std::string& message) {
    if (ctx.report_progress) ctx.report_progress(step, steps, message);
  };
  progress(0, "Creating the upload of " + name);
  Json create{{"mode", "single_part"},
              {"filename", name},
              {"content_type", std::string(type->content_type)}};
  auto create_call = send_write(ctx, "POST", "/v1/file_uploads", std::move(create), upload_path);
  auto created = co_await create_call;
  if (!created.ok()) co_return error_result(created.error());
  std::string upload_id = util::string_or(created->body, "id");
  bool recovered = created->recovered;

  progress(1, "Sending " + std::to_string(data->size()) + " bytes");
  std::string boundary = make_boundary(*data);
  std::string form = multipart_body(boundary, name, type->content_type, *data);
  data->clear();
  auto send_call = ctx.notion.request_raw("POST", "/v1/file_uploads/" + upload_id + "/send",
                                          "multipart/form-data; boundary=" + boundary,
                                          std::move(form), ctx.cancel);
  auto sent = co_await send_call;
  if (!sent.ok() && sent.error().code == "write_may_have_committed") {
    // Saved despite the error: the upload's status says whether the bytes arrived.
    auto check_call = ctx.notion.get(upload_path(upload_id), ctx.cancel);
    auto checked = co_await check_call;
    if (checked.ok() && util::string_or(*checked, "status") == "uploaded") {
      sent = std::move(checked);
      recovered = true;
    }
  }
  if (!sent.ok()) co_return error_result(sent.error());
  if (util::string_or(*sent, "status") != "uploaded") {
    co_return error_result(util::make_error(
        "upload_incomplete",
        "Notion did not accept the file (status " + util::string_or(*sent, "status") + ").",
        "Try again; if it keeps failing, check the file's type and size."));
  }

  ToolResult result;
  Json structured{{"file_upload_id", upload_id},
                  {"name", name},
                  {"content_type", std::string(type->content_type)},
                  {"bytes", util::member(*sent, "content_length") &&
                                    (*sent)["content_length"].is_number_integer()
                                ? (*sent)["content_length"].get<int64_t>()
                                : 0}};
  result.text = "uploaded '" + name + "' (" + std::string(type->content_type) +
                ") as file upload " + upload_id + "\n";
  if (attach) {
    progress(2, "Attaching it to " + page);
    Json file{{"type", "file_upload"}, {"file_upload", {{"id", upload_id}}}};
    if (!property.empty()) {
      Json value = file;
      value["name"] = name;
      Json body{{"properties", {{property, {{"files", Json::array({value})}}}}}};
      std::string path = "/v1/pages/" + page;
      auto call = send_write(ctx, "PATCH", path, std::move(body),
                             [path](const std::string&) { return path; });
      auto attached = co_await call;
      if (!attached.ok()) {
        co_return error_result(attached.error(), "The file is uploaded (file_upload_id " +
                                                     upload_id +
                                                     "); it can be attached within an hour.");
      }
      recovered = recovered || attached->recovered;
      structured["page_id"] = page;
      structured["property"] = property;
      result.text += "set as the files of property '" + property + "' of page " + page + "\n";
    } else {
      std::string block_type(type->block_type);
      Json block{{"type", block_type}, {block_type, file}};
      auto call = append_children(ctx, page, Json::array({block}), "");
      auto appended = co_await call;
      if (!appended.ok()) {
        co_return error_result(appended.error(), "The file is uploaded (file_upload_id " +
                                                     upload_id +
                                                     "); it can be attached within an hour.");
      }
      recovered = recovered || appended->recovered;
      std::string block_id = appended->ids.empty() ? std::string() : appended->ids.front();
      structured["page_id"] = page;
      structured["block_id"] = block_id;
      result.text += "attached to " + page + " as a " + block_type + " block " + block_id + "\n";
    }
  } else {
    result.text += "Attach it within an hour: append_blocks with {\"type\": \"" +
                   std::string(type->block_type) + "\", \"" + std::string(type->block_type) +
                   "\": {\"type\": \"file_upload\", \"file_upload\": {\"id\": \"" + upload_id +
                   "\"}}}, or call upload_file with page_id.\n";
  }
  if (recovered) result.text += kRecoveredNote;
  result.structured = std::move(structured);
  co_return result;
}

}  // namespace

[[gnu::hot]] Tool make_upload_file_tool() {
  Tool tool;
  tool.name = "upload_file";
  tool.title = "Upload file";
  tool.description =
      "Upload a file (≤ 20 MB) from an allowed upload directory and attach it to page_id as a "
      "block, or as the files of a files property. path may be relative to the upload directory.";
  tool.input_schema = R"({"type":"object","properties":{"path":{"type":"string","minLength":1},)"
                      R"("page_id":{"type":"string"},"property":{"type":"string"}},)"
                      R"("required":["path"],"additionalProperties":false})";
  tool.output_schema =
      R"({"type":"object","properties":{"file_upload_id":{"type":"string"},)"
      R"("name":{"type":"string"},"content_type":{"type":"string"},"bytes":{"type":"integer"},)"
      R"("page_id":{"type":"string"},"block_id":{"type":"string"},"property":{"type":"string"}}})";
  tool.run = guarded(run);
  return tool;
}

}  // namespace notion_mcp::tools
