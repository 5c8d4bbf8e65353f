#include "demo/api_errors.h"

namespace notion_mcp::demo {

util::Error api_error(int status, std::string code, std::string message) {
  util::Error error = util::make_error(std::move(code), std::move(message));
  error.status = status;
  return error;
}

util::Error not_found(std::string_view kind, std::string_view id) {
  return api_error(404, "object_not_found",
                   "Could not find " + std::string(kind) + " with ID: " + std::string(id) +
                       ". Make sure the relevant pages and databases are shared with your "
                       "integration.");
}

util::Error validation_error(std::string message) {
  return api_error(400, "validation_error", std::move(message));
}

util::Error invalid_request_url() {
  return api_error(400, "invalid_request_url", "Invalid request URL.");
}

util::Error invalid_json() { return api_error(400, "invalid_json", "Error parsing JSON body."); }

util::Error invalid_path_id(std::string_view name, std::string_view value) {
  return validation_error("path failed validation: path." + std::string(name) +
                          " should be a valid uuid, instead was `" +
                          util::dump_json(util::Json(std::string(value))) + "`.");
}

util::Json error_body(const util::Error& error, std::string_view request_id) {
  return util::Json{{"object", "error"},
                    {"status", error.status},
                    {"code", error.code},
                    {"message", error.message},
                    {"request_id", std::string(request_id)}};
}

}  // namespace notion_mcp::demo
