// Runs the tools against the real demo workspace through the real Notion client, on one event
// loop, and checks every successful result against the tool's outputSchema.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "demo/demo_transport.h"
#include "demo/workspace.h"
#include "notion/client.h"
#include "tests/unit/tools/schema_checks.h"
#include "tools/tool.h"
#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/secret.h"
#include "util/task.h"

namespace notion_mcp::tools::testing {

using util::Json;

// Checks `value` against the JSON Schema subset our tools use; "" when it conforms, else where
// and why it does not.
inline std::string schema_violation(const Json& value, const Json& schema,
                                    const std::string& path = "$") {
  if (!schema.is_object()) return path + ": schema is not an object";
  if (const Json* type = util::member(schema, "type")) {
    std::string t = type->get<std::string>();
    bool ok = (t == "object" && value.is_object()) || (t == "array" && value.is_array()) ||
              (t == "string" && value.is_string()) || (t == "boolean" && value.is_boolean()) ||
              (t == "integer" && value.is_number_integer()) || (t == "number" && value.is_number());
    if (!ok) return path + ": expected " + t + ", got " + value.type_name();
  }
  if (const Json* allowed = util::member(schema, "enum")) {
    bool found = false;
    for (const Json& option : *allowed) found = found || option == value;
    if (!found) return path + ": not one of the enum values";
  }
  if (value.is_object()) {
    const Json* properties = util::member(schema, "properties");
    if (const Json* required = util::member(schema, "required")) {
      for (const Json& name : *required) {
        if (!value.contains(name.get<std::string>())) {
          return path + ": missing " + name.get<std::string>();
        }
      }
    }
    for (const auto& [key, member_value] : value.items()) {
      const Json* sub = properties ? util::member(*properties, key) : nullptr;
      if (!sub) {
        if (util::member(schema, "additionalProperties") &&
            schema["additionalProperties"] == false) {
          return path + ": unexpected " + key;
        }
        continue;
      }
      std::string inner = schema_violation(member_value, *sub, path + "." + key);
      if (!inner.empty()) return inner;
    }
  }
  if (value.is_array()) {
    if (const Json* items = util::member(schema, "items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        std::string inner =
            schema_violation(value[i], *items, path + "[" + std::to_string(i) + "]");
        if (!inner.empty()) return inner;
      }
    }
  }
  return {};
}

inline util::Task<void> drive(const Tool& tool, ToolContext& ctx, Json args, ToolResult& out) {
  auto task = tool.run(ctx, args);
  out = co_await task;
}

inline util::Task<void> get_into(notion::Client& client, std::string path,
                                 util::Result<Json>& result) {
  auto call = client.get(path, {});
  result = co_await call;
}

class ToolFixture : public ::testing::Test {
 protected:
  static notion::ClientOptions client_options() {
    notion::ClientOptions options;
    options.rate_limit.enabled = false;
    return options;
  }

  const Tool& tool(std::string_view name) {
    for (const Tool& t : tools_) {
      if (t.name == name) return t;
    }
    ADD_FAILURE() << "no tool named " << name;
    return tools_.front();
  }

  // Runs one tool call to completion; a successful result must match the outputSchema.
  ToolResult call(std::string_view name, Json args = Json::object()) {
    return run(tool(name), std::move(args));
  }

  ToolResult run(const Tool& t, Json args) {
    std::string_view name = t.name;
    ToolContext ctx{client_override_ ? *client_override_ : client_, loop_, cancel_.token(),
                    [this](double progress, double total, const std::string& message) {
                      progress_.push_back({progress, total, message});
                    },
                    demo_};
    ToolResult out;
    out.text = "(the call did not finish)";
    out.is_error = true;
    bool finished = util::run_to_completion(loop_, drive(t, ctx, std::move(args), out));
    EXPECT_TRUE(finished) << name << " did not finish";
    if (!out.is_error) {
      EXPECT_EQ(schema_violation(out.structured, parsed_schema(t.output_schema)), "")
          << name << " structured: " << out.structured.dump();
    } else {
      EXPECT_TRUE(out.structured.contains("error")) << out.text;
    }
    return out;
  }

  // Every search hit (structured items), following next_cursor.
  std::vector<Json> search_all(std::string filter = {}, std::string query = {}) {
    std::vector<Json> all;
    Json args = {{"page_size", 100}};
    if (!filter.empty()) args["filter"] = filter;
    if (!query.empty()) args["query"] = query;
    for (int page = 0; page < 20; ++page) {
      ToolResult r = call("search", args);
      EXPECT_FALSE(r.is_error) << r.text;
      if (r.is_error) break;
      for (const Json& item : r.structured["results"]) all.push_back(item);
      if (!r.structured.contains("next_cursor")) break;
      args["start_cursor"] = r.structured["next_cursor"];
    }
    return all;
  }

  // The id of the search hit titled exactly `title`; fails the test when there is none.
  std::string id_of(std::string_view title, std::string_view type = "page") {
    for (const Json& item : search_all(std::string(type), std::string(title))) {
      if (item.value("title", "") == title) return item["id"].get<std::string>();
    }
    ADD_FAILURE() << "no " << type << " titled " << title << " in the demo workspace";
    return "00000000-0000-0000-0000-000000000000";
  }

  // A direct request through the client, to compare a tool's answer with Notion's.
  util::Result<Json> raw_get(std::string path) {
    util::Result<Json> out = util::make_error("unfinished", "the request did not finish");
    EXPECT_TRUE(util::run_to_completion(loop_, get_into(client_, std::move(path), out)));
    return out;
  }

  struct Progress {
    double progress;
    double total;
    std::string message;
  };

  util::EventLoop loop_;
  std::unique_ptr<demo::Workspace> workspace_ = demo::Workspace::seeded();
  demo::DemoTransport transport_{loop_, *workspace_};
  notion::Client client_{loop_, transport_,
                         [] { return util::Result<util::Secret>(util::Secret("demo")); },
                         client_options()};
  std::vector<Tool> tools_ = all_tools();
  util::CancelSource cancel_;
  std::vector<Progress> progress_;
  bool demo_ = false;
  notion::Client* client_override_ = nullptr;  // another client for the next calls
};

}  // namespace notion_mcp::tools::testing
