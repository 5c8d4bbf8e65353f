// The write tools' tests: the read tools' fixture (demo workspace, real client, outputSchema
// checks) plus an upload root for upload_file, a transport that answers chosen writes the way
// Notion does after saving a write it then failed (503 with retry_guidance), and readers that
// look at the workspace directly.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "demo/demo_transport.h"
#include "tests/unit/tools/tool_fixture.h"
#include "tools/upload_files.h"

namespace notion_mcp::tools::testing {

// Forwards to the demo workspace; the writes numbered in `fail_writes` (1 = the first POST or
// PATCH that changes something: search and queries are reads) are performed, then answered
// with Notion's 503 + additional_data.retry_guidance.
class CommittingTransport : public notion::Transport {
 public:
  CommittingTransport(util::EventLoop& loop, demo::Workspace& workspace)
      : loop_(loop), workspace_(workspace) {}

  void start(notion::HttpRequest request, const util::CancelToken& cancel,
             Completion done) override {
    bool read = request.path.rfind("/v1/search", 0) == 0 ||
                request.path.find("/query") != std::string::npos;
    bool write = (request.method == "POST" || request.method == "PATCH") && !read;
    if (write) ++writes_;
    ++requests_;
    bool fail = write && fail_writes.count(writes_) > 0;
    loop_.post([this, request = std::move(request), cancel, done = std::move(done), fail] {
      if (cancel.cancelled()) {
        done(util::make_error("cancelled", "The request was cancelled."));
        return;
      }
      notion::HttpResponse response = workspace_.handle(request);
      if (fail && response.status == 200) {
        ++committed_failures;
        response = committed_then_unavailable(response, name_children);
        if (after_commit) after_commit();
      }
      done(std::move(response));
    });
  }

  std::set<int> fail_writes;
  bool name_children = false;          // add committed_child_ids, as Notion does for appends
  std::function<void()> after_commit;  // another writer, between the save and the read-back
  int committed_failures = 0;
  int writes() const { return writes_; }
  int requests() const { return requests_; }

 private:
  static notion::HttpResponse committed_then_unavailable(const notion::HttpResponse& written,
                                                         bool name_children) {
    util::Json additional = {{"retry_guidance",
                              "The request was committed. Read the resource again instead of "
                              "repeating the request."}};
    auto body = util::parse_json(written.body);
    if (body.ok() && body->is_object() && body->contains("id")) {
      additional["committed_resource_id"] = (*body)["id"];
    }
    if (name_children && body.ok() && body->is_object() && body->contains("results")) {
      additional["committed_child_ids"] = util::Json::array();
      for (const auto& child : (*body)["results"]) {
        additional["committed_child_ids"].push_back(child["id"]);
      }
    }
    notion::HttpResponse response;
    response.status = 503;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = util::dump_json({{"object", "error"},
                                     {"status", 503},
                                     {"code", "service_unavailable"},
                                     {"message", "Notion is unavailable right now."},
                                     {"additional_data", additional}});
    return response;
  }

  util::EventLoop& loop_;
  demo::Workspace& workspace_;
  int writes_ = 0;
  int requests_ = 0;
};

class WriteFixture : public ToolFixture {
 protected:
  // Runs a tool with upload_roots_ and read_upload_ in its context.
  ToolResult call_uploading(std::string_view name, Json args) {
    const Tool& t = tool(name);
    ToolContext ctx{client_override_ ? *client_override_ : client_, loop_, cancel_.token(),
                    [this](double progress, double total, const std::string& message) {
                      progress_.push_back({progress, total, message});
                    },
                    demo_};
    ctx.upload_roots = upload_roots_;
    ctx.read_upload = read_upload_;
    ToolResult out;
    out.text = "(the call did not finish)";
    out.is_error = true;
    EXPECT_TRUE(util::run_to_completion(loop_, drive(t, ctx, std::move(args), out)));
    if (!out.is_error) {
      EXPECT_EQ(schema_violation(out.structured, parsed_schema(t.output_schema)), "")
          << out.structured.dump();
    } else {
      EXPECT_TRUE(out.structured.contains("error")) << out.text;
    }
    return out;
  }

  // Every child of a block or page, following next_cursor.
  std::vector<Json> children(const std::string& id) {
    std::vector<Json> all;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      std::string path = "/v1/blocks/" + id + "/children?page_size=100";
      if (!cursor.empty()) path += "&start_cursor=" + cursor;
      auto listed = raw_get(path);
      EXPECT_TRUE(listed.ok()) << (listed.ok() ? "" : listed.error().message);
      if (!listed.ok()) break;
      for (const Json& block : (*listed)["results"]) all.push_back(block);
      if (!(*listed).value("has_more", false)) break;
      cursor = (*listed)["next_cursor"].get<std::string>();
    }
    return all;
  }

  // The plain text of a block (its rich_text), for checking order.
  static std::string text_of(const Json& block) {
    std::string type = block.value("type", "");
    std::string out;
    if (!block.contains(type)) return out;
    for (const Json& item : block[type].value("rich_text", Json::array())) {
      out += item.value("plain_text",
                        item.contains("text") ? item["text"].value("content", "") : std::string());
    }
    return out;
  }

  std::string page_markdown(const std::string& id) {
    auto markdown = raw_get("/v1/pages/" + id + "/markdown");
    EXPECT_TRUE(markdown.ok());
    return markdown.ok() ? (*markdown)["markdown"].get<std::string>() : std::string();
  }

  // A new empty page under `parent_title` for a test to write into.
  std::string scratch_page(const std::string& title, std::string parent_title = "Acme Handbook") {
    ToolResult created =
        call("create_page", {{"parent_id", id_of(parent_title)}, {"title", title}});
    EXPECT_FALSE(created.is_error) << created.text;
    return created.structured.value("id", "");
  }

  std::vector<std::string> upload_roots_;
  std::function<util::Result<std::string>(const std::string&)> read_upload_;
};

}  // namespace notion_mcp::tools::testing
