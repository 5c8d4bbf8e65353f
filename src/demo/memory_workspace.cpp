// The Workspace implementation: checks the version header, routes, parses the body, seeds the
// store on first use, and wraps every answer with Notion's headers and error bodies.
#include <chrono>

#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/ids.h"
#include "demo/request.h"
#include "demo/router.h"
#include "demo/seed.h"
#include "demo/store.h"
#include "demo/workspace.h"

namespace notion_mcp::demo {

namespace {

class MemoryWorkspace : public Workspace {
 public:
  explicit MemoryWorkspace(WorkspaceOptions options) : options_(std::move(options)) {}

  notion::HttpResponse handle(const notion::HttpRequest& request) override {
    const std::string request_id = derived_id("request/" + std::to_string(++requests_));
    Reply reply = dispatch(request);
    notion::HttpResponse response;
    util::Json body;
    if (reply) {
      response.status = 200;
      body = std::move(*reply);
      if (body.is_object() && body.value("object", "") == "list") body["request_id"] = request_id;
    } else {
      response.status = reply.error().status ? reply.error().status : 500;
      body = error_body(reply.error(), request_id);
    }
    response.headers = {{"Content-Type", "application/json"}, {"x-request-id", request_id}};
    response.body = util::dump_json(body);
    return response;
  }

 private:
  Reply dispatch(const notion::HttpRequest& request) {
    const std::string_view version = notion::find_header(request.headers, "Notion-Version");
    if (version.empty()) {
      return api_error(400, "missing_version",
                       "Notion-Version header failed validation: Notion-Version header should be "
                       "defined, instead was `undefined`.");
    }
    if (version != "2026-03-11" && version != "2025-09-03") {
      return validation_error(
          "Notion-Version header failed validation: the demo workspace speaks `2026-03-11` "
          "(and `2025-09-03`), instead was `" +
          std::string(version) + "`.");
    }
    const Target target = parse_target(request.path);
    auto matched = route(request.method, target.segments);
    if (!matched) return matched.error();

    util::Json body = util::Json::object();
    // File contents arrive as multipart/form-data: the handler reads the raw body.
    const std::string_view content_type = notion::find_header(request.headers, "Content-Type");
    const bool multipart = content_type.substr(0, 19) == "multipart/form-data";
    if (matched->takes_body && !multipart && !request.body.empty()) {
      auto parsed = util::parse_json(request.body);
      if (!parsed) return invalid_json();
      if (!parsed->is_object()) {
        return validation_error("body failed validation: body should be an object, instead was `" +
                                util::dump_json(*parsed) + "`.");
      }
      body = std::move(*parsed);
    }
    if (!seeded_) {
      seed_workspace(store_);
      seeded_ = true;
    }
    Context context{store_,        options_,       std::move(matched->params), target.query, body,
                    now_seconds(), store_.bot_id()};
    if (multipart) {
      context.raw_body = request.body;
      context.content_type = content_type;
    }
    return matched->handler(context);
  }

  int64_t now_seconds() const {
    if (options_.clock) return options_.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  WorkspaceOptions options_;
  Store store_;
  bool seeded_ = false;
  uint64_t requests_ = 0;
};

}  // namespace

std::unique_ptr<Workspace> Workspace::seeded() { return seeded(WorkspaceOptions{}); }

std::unique_ptr<Workspace> Workspace::seeded(WorkspaceOptions options) {
  return std::make_unique<MemoryWorkspace>(std::move(options));
}

}  // namespace notion_mcp::demo
