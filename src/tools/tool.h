// What a tool is: a name, a description written for a model, small flat JSON schemas, MCP
// annotations, and a coroutine that does the work through the Notion client.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notion/client.h"
#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::tools {

struct ToolContext {
  notion::Client& notion;
  util::EventLoop& loop;
  util::CancelToken cancel;
  // Sends notifications/progress when the caller asked for it; otherwise does nothing.
  std::function<void(double progress, double total, const std::string& message)> report_progress;
  bool demo = false;  // results are labelled as demo data
  // upload_file: the directories the person named with --upload-root, and how a file is read.
  // The sandboxed worker cannot open files, so the server supplies the reader (through the
  // broker, or tools::read_upload_file in-process); without one, uploads are refused.
  std::vector<std::string> upload_roots{};
  std::function<util::Result<std::string>(const std::string& path)> read_upload{};
  // --scope: the refusal when a page the call also changes (a relation's target: Notion
  // updates its back-relation) lies outside the scope; empty when there is no scope.
  std::function<util::Task<std::optional<util::Error>>(const std::string& page_id)>
      check_in_scope{};
};

struct ToolResult {
  std::string text;       // content[0].text: compact, readable, for the model
  util::Json structured;  // structuredContent; matches the tool's outputSchema
  bool is_error = false;  // isError: the model should change its call

  static ToolResult error(std::string message) {
    ToolResult result;
    result.text = std::move(message);
    result.is_error = true;
    return result;
  }
};

struct Annotations {
  bool read_only = false;
  bool destructive = false;
  bool idempotent = false;
  bool open_world = true;  // every tool talks to Notion
};

struct Tool {
  std::string name;
  std::string title;
  std::string description;
  // JSON Schemas as JSON text, literals in the tool's source: tools/list sends them as they are
  // (nothing parsed or built at start-up); mcp/schema_validator parses input_schema when a call
  // is checked. No output schema: empty.
  std::string_view input_schema;
  std::string_view output_schema;
  Annotations annotations;
  // `arguments` has already passed input_schema validation.
  std::function<util::Task<ToolResult>(ToolContext&, const util::Json& arguments)> run;
};

// Every tool the server offers, in the order tools/list shows them. Each make_*_tool function
// that builds one is [[gnu::hot]]: the linker puts them side by side, so building the catalog at
// start-up faults in a few pages of code instead of a region per tool file (the worker's
// memory bar; measured 0.3 MiB).
std::vector<Tool> all_tools();

}  // namespace notion_mcp::tools
