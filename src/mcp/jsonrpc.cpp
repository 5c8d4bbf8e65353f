#include "mcp/jsonrpc.h"

namespace notion_mcp::mcp {

util::Json make_result(const util::Json& id, util::Json result) {
  return util::Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

util::Json make_error(const util::Json& id, int code, std::string_view message,
                      const util::Json& data) {
  util::Json error{{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = data;
  return util::Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

util::Json make_notification(std::string_view method, util::Json params) {
  util::Json out{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) out["params"] = std::move(params);
  return out;
}

util::Json make_request(const util::Json& id, std::string_view method, util::Json params) {
  util::Json out{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) out["params"] = std::move(params);
  return out;
}

namespace {
bool valid_id(const util::Json& id) { return id.is_string() || id.is_number_integer(); }

Classified reject(const util::Json& id, int code, std::string message) {
  return Classified{false, {}, make_error(id, code, message)};
}
}  // namespace

Classified classify(const util::Json& value) {
  if (value.is_array()) {
    return reject(nullptr, error_code::kInvalidRequest,
                  "Batches (JSON arrays) are not supported: send one message per line.");
  }
  if (!value.is_object()) {
    return reject(nullptr, error_code::kInvalidRequest, "A JSON-RPC message must be an object.");
  }
  const util::Json* id = util::member(value, "id");
  util::Json usable_id = (id && valid_id(*id)) ? *id : util::Json(nullptr);
  if (id && !valid_id(*id)) {
    return reject(nullptr, error_code::kInvalidRequest,
                  "The \"id\" must be a string or an integer (and not null).");
  }
  if (util::string_or(value, "jsonrpc") != "2.0") {
    return reject(usable_id, error_code::kInvalidRequest, "\"jsonrpc\" must be \"2.0\".");
  }
  const util::Json* method = util::member(value, "method");
  if (!method) {
    if (id && (value.contains("result") || value.contains("error"))) {
      return Classified{true, Message{Message::Kind::response, usable_id, {}, nullptr}, nullptr};
    }
    return reject(usable_id, error_code::kInvalidRequest,
                  "The message has no \"method\" (and is not a response).");
  }
  if (!method->is_string()) {
    return reject(usable_id, error_code::kInvalidRequest, "\"method\" must be a string.");
  }
  const util::Json* params = util::member(value, "params");
  if (params && !params->is_object()) {
    return reject(usable_id, error_code::kInvalidParams, "\"params\" must be an object.");
  }
  Message message{id ? Message::Kind::request : Message::Kind::notification, usable_id,
                  method->get<std::string>(), params ? *params : util::Json(nullptr)};
  return Classified{true, std::move(message), nullptr};
}

}  // namespace notion_mcp::mcp
