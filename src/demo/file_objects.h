// Files in the demo workspace: file objects as integrations send them (an external URL, or a
// finished upload by id) and the file upload objects of the file upload API.
#pragma once

#include <string_view>

#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

// {type:"external", external:{url}} stays as it is; {type:"file_upload", file_upload:{id}}
// (the upload must have status "uploaded") becomes a Notion-hosted file {type:"file",
// file:{url, expiry_time}} plus "name" (the upload's filename). `where` names the input in
// error messages.
util::Result<util::Json> file_object_input(const util::Json& input, const Store& store,
                                           std::string_view where);

// The answer of the file upload endpoints for `upload`.
util::Json file_upload_json(const FileUpload& upload);

}  // namespace notion_mcp::demo
